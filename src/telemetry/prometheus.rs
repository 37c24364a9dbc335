//! The Prometheus text exposition format (0.0.4) for the three kinds of
//! metric we keep: labelled counters, gauges read at scrape time, and one
//! histogram. Written by hand: a process-wide recorder (the `metrics`
//! crate's model) would mix the counts of several apps in one test process.

use std::{
    collections::BTreeMap,
    fmt::{Display, Write},
    sync::{
        Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

/// The `Content-Type` of [`Exposition`] text.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Counters that share a name and differ by label values. Callers pass
/// values from closed sets only (enum words, route patterns, status codes),
/// so the number of series stays bounded.
pub struct CounterFamily<const N: usize> {
    name: &'static str,
    help: &'static str,
    labels: [&'static str; N],
    values: Mutex<BTreeMap<[String; N], u64>>,
}

impl<const N: usize> CounterFamily<N> {
    pub const fn new(name: &'static str, help: &'static str, labels: [&'static str; N]) -> Self {
        Self {
            name,
            help,
            labels,
            values: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn add(&self, values: [&str; N], n: u64) {
        let key = values.map(str::to_owned);
        *self
            .values
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default() += n;
    }

    pub fn inc(&self, values: [&str; N]) {
        self.add(values, 1);
    }

    /// Shows a series at 0 before its first event, so `rate()` sees its start.
    pub fn seed(&self, values: [&str; N]) {
        self.add(values, 0);
    }

    fn render(&self, out: &mut Exposition) {
        out.header(self.name, self.help, "counter");
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, value) in values.iter() {
            let labels: Vec<(&str, &str)> = self
                .labels
                .iter()
                .copied()
                .zip(key.iter().map(String::as_str))
                .collect();
            out.sample(self.name, &labels, value);
        }
    }
}

/// Observations in fixed buckets of seconds.
pub struct Histogram {
    name: &'static str,
    help: &'static str,
    /// Upper bounds in seconds, ascending; `+Inf` is implied.
    bounds: &'static [f64],
    /// One count per bound and one for `+Inf`, not cumulative.
    buckets: Vec<AtomicU64>,
    sum_nanos: AtomicU64,
}

impl Histogram {
    pub fn new(name: &'static str, help: &'static str, bounds: &'static [f64]) -> Self {
        Self {
            name,
            help,
            bounds,
            buckets: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_nanos: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        let bucket = self
            .bounds
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(self.bounds.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    fn render(&self, out: &mut Exposition) {
        out.header(self.name, self.help, "histogram");
        let bucket = format!("{}_bucket", self.name);
        let mut cumulative = 0;
        for (i, count) in self.buckets.iter().enumerate() {
            cumulative += count.load(Ordering::Relaxed);
            let le = match self.bounds.get(i) {
                Some(bound) => bound.to_string(),
                None => "+Inf".to_owned(),
            };
            out.sample(&bucket, &[("le", &le)], cumulative);
        }
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        out.sample(&format!("{}_sum", self.name), &[], sum);
        out.sample(&format!("{}_count", self.name), &[], cumulative);
    }
}

/// A scrape's text, written family by family.
#[derive(Default)]
pub struct Exposition {
    text: String,
}

impl Exposition {
    pub fn counters<const N: usize>(&mut self, family: &CounterFamily<N>) -> &mut Self {
        family.render(self);
        self
    }

    pub fn histogram(&mut self, histogram: &Histogram) -> &mut Self {
        histogram.render(self);
        self
    }

    /// A gauge family whose samples the caller read just now.
    pub fn gauge<V: Display>(
        &mut self,
        name: &str,
        help: &str,
        samples: &[(&[(&str, &str)], V)],
    ) -> &mut Self {
        self.header(name, help, "gauge");
        for (labels, value) in samples {
            self.sample(name, labels, value);
        }
        self
    }

    pub fn into_text(self) -> String {
        self.text
    }

    fn header(&mut self, name: &str, help: &str, kind: &str) {
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: impl Display) {
        self.text.push_str(name);
        if !labels.is_empty() {
            self.text.push('{');
            for (i, (label, value)) in labels.iter().enumerate() {
                if i > 0 {
                    self.text.push(',');
                }
                let _ = write!(self.text, "{label}=\"{}\"", escape(value));
            }
            self.text.push('}');
        }
        let _ = writeln!(self.text, " {value}");
    }
}

/// Label values escape backslash, double quote and line feed.
fn escape(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_gauges_and_histograms_are_written_in_the_text_format() {
        let requests = CounterFamily::new("t_requests_total", "Requests.", ["route", "status"]);
        requests.inc(["/a/{id}", "200"]);
        requests.add(["/a/{id}", "200"], 2);
        requests.seed(["say \"hi\"\\\n", "404"]);
        let took = Histogram::new("t_seconds", "Time.", &[0.01, 0.1]);
        took.observe(Duration::from_millis(5));
        took.observe(Duration::from_millis(50));
        took.observe(Duration::from_secs(2));
        let mut out = Exposition::default();
        out.counters(&requests)
            .gauge("t_depth", "Depth.", &[(&[("kind", "relay")], 3)])
            .histogram(&took);
        assert_eq!(
            out.into_text(),
            "# HELP t_requests_total Requests.\n\
             # TYPE t_requests_total counter\n\
             t_requests_total{route=\"/a/{id}\",status=\"200\"} 3\n\
             t_requests_total{route=\"say \\\"hi\\\"\\\\\\n\",status=\"404\"} 0\n\
             # HELP t_depth Depth.\n\
             # TYPE t_depth gauge\n\
             t_depth{kind=\"relay\"} 3\n\
             # HELP t_seconds Time.\n\
             # TYPE t_seconds histogram\n\
             t_seconds_bucket{le=\"0.01\"} 1\n\
             t_seconds_bucket{le=\"0.1\"} 2\n\
             t_seconds_bucket{le=\"+Inf\"} 3\n\
             t_seconds_sum 2.055\n\
             t_seconds_count 3\n"
        );
    }
}
