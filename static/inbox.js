// marketrelay: live policy preview in the seller's reply form. Plain script,
// no build step. Without it the form's Preview button does the same job.
//
// The draft goes to the section's data-url as JSON with the session's CSRF
// token (from the form's hidden field) in a header. Everything from the
// server is put on the page with textContent, never parsed as HTML.
(function () {
  'use strict';

  var out = document.getElementById('live-preview');
  if (!out || !out.dataset.url) return;
  var draft = document.getElementById(out.dataset.for || 'body');
  var form = draft && draft.form;
  var token = form && form.querySelector('input[name="csrf_token"]');
  if (!draft || !token || !window.fetch) return;

  // Waits for a pause in typing so each keystroke is not a request.
  var DEBOUNCE_MS = 300;
  var timer = null;
  var latest = 0;
  var inflight = null;
  var shown = '';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(preview) {
    var box = el('div', 'preview live' + (preview.held ? ' held' : ''));
    box.dataset.action = preview.action;
    box.appendChild(el('h3', '', 'Live preview'));
    var verdict = el('p', 'verdict');
    verdict.appendChild(el('strong', '', preview.verdict));
    box.appendChild(verdict);
    if (preview.rules.length) {
      var rules = el('p', 'muted', 'Rules: ');
      preview.rules.forEach(function (rule) {
        rules.appendChild(el('code', 'rule', rule));
        rules.appendChild(document.createTextNode(' '));
      });
      box.appendChild(rules);
    }
    box.appendChild(el('h4', '', 'Your draft, with what the policy found marked'));
    var marked = el('div', 'body draft');
    preview.marked.forEach(function (segment) {
      if (segment.rule) {
        var mark = el('mark', '', segment.text);
        mark.title = segment.rule;
        marked.appendChild(mark);
      } else {
        marked.appendChild(document.createTextNode(segment.text));
      }
    });
    box.appendChild(marked);
    box.appendChild(el('h4', '', 'What the buyer would receive'));
    box.appendChild(el('div', 'body delivered', preview.delivered));
    out.replaceChildren(box);
  }

  function problem(message) {
    out.replaceChildren(el('p', 'hint live-error', message));
  }

  function update() {
    var text = draft.value;
    if (text === shown) return;
    var mine = ++latest;
    if (inflight) inflight.abort();
    if (!text.trim()) {
      shown = text;
      out.replaceChildren();
      return;
    }
    inflight = new AbortController();
    fetch(out.dataset.url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token.value },
      body: JSON.stringify({ body: text }),
      signal: inflight.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (preview) {
        // A slower answer to an older draft must not replace a newer one.
        if (mine !== latest) return;
        shown = text;
        render(preview);
      })
      .catch(function (error) {
        if (error.name === 'AbortError' || mine !== latest) return;
        shown = '';
        problem(
          error.message === '401' || error.message === '403'
            ? 'Live preview stopped: reload the page to sign in again.'
            : 'Live preview is not available right now; the Preview button still works.'
        );
      });
  }

  draft.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  });
  // A draft already in the box (say, after going back) is previewed at once,
  // unless the form's own preview of it is already on the page.
  if (draft.value.trim() && !document.getElementById('preview-heading')) update();
})();
