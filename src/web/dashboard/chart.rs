//! Geometry of the dashboard's SVG charts, computed here so the template
//! only places shapes. Everything is in `viewBox` units: the browser scales
//! the chart to its box, so no size is fixed in pixels.

/// `viewBox` widths: a chart across the page, and one in a half-width card.
/// Text is sized in these units, so a narrower box keeps labels readable
/// where the chart is drawn smaller.
pub const WIDE: f64 = 720.0;
pub const HALF: f64 = 440.0;
const PLOT_HEIGHT: f64 = 220.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 48.0;
/// Room for one day label under the x axis, so labels never overlap.
const X_LABEL_SPACE: f64 = 70.0;

const ROW: f64 = 30.0;
const LABEL_WIDTH: f64 = 190.0;
/// Labels take at most this share of a narrow chart.
const LABEL_SHARE: f64 = 0.32;
const COUNT_WIDTH: f64 = 56.0;
const LABEL_CHARS: usize = 26;

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A tick: where it sits along its axis and what it says.
pub struct Tick {
    pub at: String,
    pub label: String,
}

pub struct Rect {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    /// A `.dash-*` series class; colours live in the stylesheet.
    pub class: &'static str,
    /// Shown as the shape's tooltip.
    pub title: String,
}

pub struct Line {
    pub class: &'static str,
    pub points: String,
    pub dots: Vec<(String, String, String)>,
}

/// A chart over the days of a period: y gridlines and labels, day labels,
/// and the plot area's corners for the axis lines.
pub struct DayChart {
    pub width: String,
    pub height: String,
    pub left: String,
    pub right: String,
    pub top: String,
    pub bottom: String,
    pub mid_x: String,
    pub mid_y: String,
    pub x_title_y: String,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub bars: Vec<Rect>,
    pub lines: Vec<Line>,
}

/// One series over the days: its class, its name for tooltips, one value a day.
pub struct Series<'a> {
    pub class: &'static str,
    pub name: &'a str,
    pub values: Vec<u64>,
}

/// The smallest 1, 2 or 5 × 10ⁿ step that covers `max` in at most five steps.
pub fn nice_step(max: u64) -> u64 {
    let mut unit = 1;
    loop {
        for step in [unit, unit * 2, unit * 5] {
            if max <= step * 5 {
                return step;
            }
        }
        unit *= 10;
    }
}

struct Frame {
    plot_width: f64,
    slot: f64,
    scale_max: u64,
}

impl Frame {
    fn y(&self, value: u64) -> f64 {
        TOP + PLOT_HEIGHT - PLOT_HEIGHT * value as f64 / self.scale_max as f64
    }

    fn slot_x(&self, i: usize) -> f64 {
        LEFT + self.slot * i as f64
    }
}

fn day_frame(width: f64, labels: &[String], max: u64) -> (Frame, DayChart) {
    let step = nice_step(max.max(1));
    let steps = max.max(1).div_ceil(step);
    let frame = Frame {
        plot_width: width - LEFT - RIGHT,
        slot: (width - LEFT - RIGHT) / labels.len().max(1) as f64,
        scale_max: step * steps,
    };
    let max_labels = ((width - LEFT - RIGHT) / X_LABEL_SPACE).max(1.0) as usize;
    let every = labels.len().div_ceil(max_labels).max(1);
    let last = labels.len().saturating_sub(1);
    let x_ticks = labels
        .iter()
        .enumerate()
        // Count back from today so the newest day always has its label.
        .filter(|(i, _)| (last - i).is_multiple_of(every))
        .map(|(i, label)| Tick {
            at: n(frame.slot_x(i) + frame.slot / 2.0),
            label: label.clone(),
        })
        .collect();
    let y_ticks = (0..=steps)
        .map(|k| Tick {
            at: n(frame.y(k * step)),
            label: (k * step).to_string(),
        })
        .collect();
    let chart = DayChart {
        width: n(width),
        height: n(TOP + PLOT_HEIGHT + BOTTOM),
        left: n(LEFT),
        right: n(LEFT + frame.plot_width),
        top: n(TOP),
        bottom: n(TOP + PLOT_HEIGHT),
        mid_x: n(LEFT + frame.plot_width / 2.0),
        mid_y: n(TOP + PLOT_HEIGHT / 2.0),
        x_title_y: n(TOP + PLOT_HEIGHT + BOTTOM - 6.0),
        y_ticks,
        x_ticks,
        bars: Vec::new(),
        lines: Vec::new(),
    };
    (frame, chart)
}

/// Bars per day, the series stacked bottom up in the order given.
pub fn stacked_bars(width: f64, labels: &[String], series: &[Series]) -> DayChart {
    let totals: Vec<u64> = (0..labels.len())
        .map(|i| series.iter().map(|s| s.values[i]).sum())
        .collect();
    let (frame, mut chart) = day_frame(width, labels, totals.iter().copied().max().unwrap_or(0));
    let width = (frame.slot * 0.7).max(1.0);
    for (i, label) in labels.iter().enumerate() {
        let mut below = 0;
        for s in series {
            let value = s.values[i];
            if value == 0 {
                continue;
            }
            let top = frame.y(below + value);
            chart.bars.push(Rect {
                x: n(frame.slot_x(i) + (frame.slot - width) / 2.0),
                y: n(top),
                width: n(width),
                height: n(frame.y(below) - top),
                class: s.class,
                title: format!("{label}: {value} {}", s.name),
            });
            below += value;
        }
    }
    chart
}

/// One line per series, a dot on each day.
pub fn lines(width: f64, labels: &[String], series: &[Series]) -> DayChart {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let (frame, mut chart) = day_frame(width, labels, max);
    for s in series {
        let points: Vec<(f64, f64)> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| (frame.slot_x(i) + frame.slot / 2.0, frame.y(*v)))
            .collect();
        chart.lines.push(Line {
            class: s.class,
            points: points
                .iter()
                .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
                .collect::<Vec<_>>()
                .join(" "),
            dots: points
                .iter()
                .zip(labels)
                .zip(&s.values)
                .map(|(((x, y), label), v)| (n(*x), n(*y), format!("{label}: {v} {}", s.name)))
                .collect(),
        });
    }
    chart
}

/// One bar of a horizontal bar chart's row.
pub struct Measure<'a> {
    pub value: u64,
    pub class: &'static str,
    /// What is counted, for the tooltip.
    pub name: &'a str,
}

/// One row of a horizontal bar chart.
pub struct BarRow {
    pub label: String,
    pub label_y: String,
    pub bars: Vec<Rect>,
    /// Where each bar's count is written, and the count.
    pub counts: Vec<(String, String, String)>,
}

pub struct BarChart {
    pub width: String,
    pub height: String,
    pub label_x: String,
    pub axis_x: String,
    pub rows: Vec<BarRow>,
}

/// Horizontal bars, one row per label; each value of a row is a bar of its own
/// (the first thick, later ones thinner beneath it), all on one scale.
pub fn horizontal_bars(chart_width: f64, rows: &[(String, Vec<Measure>)]) -> BarChart {
    let max = rows
        .iter()
        .flat_map(|(_, values)| values.iter().map(|m| m.value))
        .max()
        .unwrap_or(0)
        .max(1);
    let label_width = LABEL_WIDTH.min(chart_width * LABEL_SHARE);
    let bar_space = chart_width - label_width - COUNT_WIDTH;
    let row_height = |values: usize| ROW + 14.0 * values.saturating_sub(1) as f64;
    let mut y = 6.0;
    let mut out = Vec::with_capacity(rows.len());
    for (label, values) in rows {
        let mut bars = Vec::new();
        let mut counts = Vec::new();
        let mut bar_y = y + 4.0;
        for (k, Measure { value, class, name }) in values.iter().enumerate() {
            let thickness = if k == 0 { 18.0 } else { 10.0 };
            let width = bar_space * *value as f64 / max as f64;
            bars.push(Rect {
                x: n(label_width),
                y: n(bar_y),
                width: n(width),
                height: n(thickness),
                class,
                title: format!("{label}: {value} {name}"),
            });
            counts.push((
                n(label_width + width + 6.0),
                n(bar_y + thickness - 3.0),
                value.to_string(),
            ));
            bar_y += thickness + 4.0;
        }
        out.push(BarRow {
            label: short_label(label),
            label_y: n(y + 17.0),
            bars,
            counts,
        });
        y += row_height(values.len());
    }
    BarChart {
        width: n(chart_width),
        height: n(y + 6.0),
        label_x: n(label_width - 8.0),
        axis_x: n(label_width),
        rows: out,
    }
}

/// Long names are cut in the chart; the data table has them whole.
fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut out: String = label.chars().take(LABEL_CHARS - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_cover_the_maximum() {
        for (max, step) in [
            (0, 1),
            (1, 1),
            (5, 1),
            (6, 2),
            (10, 2),
            (11, 5),
            (26, 10),
            (480, 100),
            (501, 200),
        ] {
            assert_eq!(nice_step(max), step, "max {max}");
        }
    }

    fn labels(n: usize) -> Vec<String> {
        (1..=n).map(|d| format!("d{d}")).collect()
    }

    #[test]
    fn stacked_bars_sit_on_the_axis_and_skip_zeroes() {
        let chart = stacked_bars(
            WIDE,
            &labels(3),
            &[
                Series {
                    class: "a",
                    name: "a",
                    values: vec![2, 0, 1],
                },
                Series {
                    class: "b",
                    name: "b",
                    values: vec![3, 0, 0],
                },
            ],
        );
        assert_eq!(chart.bars.len(), 3);
        // 5 is the tallest stack: the scale ends at 5 and that stack reaches the top.
        assert_eq!(chart.y_ticks.last().unwrap().label, "5");
        assert_eq!(chart.bars[1].y, chart.top);
        assert_eq!(chart.bars[0].title, "d1: 2 a");
        let bottom: f64 = chart.bottom.parse().unwrap();
        let first: f64 =
            chart.bars[0].y.parse::<f64>().unwrap() + chart.bars[0].height.parse::<f64>().unwrap();
        assert!((first - bottom).abs() < 0.11, "{first} vs {bottom}");
    }

    #[test]
    fn ninety_days_get_labels_that_fit_and_today_is_one() {
        let chart = lines(
            HALF,
            &labels(90),
            &[Series {
                class: "a",
                name: "a",
                values: vec![0; 90],
            }],
        );
        // A narrow chart has room for five labels of 70 units.
        assert!(
            (3..=5).contains(&chart.x_ticks.len()),
            "{}",
            chart.x_ticks.len()
        );
        assert_eq!(chart.x_ticks.last().unwrap().label, "d90");
        assert_eq!(chart.lines[0].dots.len(), 90);
        // Nothing happened: the scale still has a top, and nothing divides by zero.
        assert_eq!(chart.y_ticks.last().unwrap().label, "1");
        assert!(chart.lines[0].points.split(' ').all(|p| !p.contains("NaN")));
    }

    fn m(value: u64, class: &'static str) -> Measure<'static> {
        Measure {
            value,
            class,
            name: "messages",
        }
    }

    #[test]
    fn horizontal_bars_scale_to_the_longest_and_cut_long_labels() {
        let chart = horizontal_bars(
            WIDE,
            &[
                ("phone".into(), vec![m(4, "a")]),
                (
                    "a name far longer than the chart has room for".into(),
                    vec![m(2, "a"), m(1, "b")],
                ),
                ("email".into(), vec![m(0, "a")]),
            ],
        );
        assert_eq!(chart.rows.len(), 3);
        assert_eq!(
            chart.rows[0].bars[0].width,
            n(WIDE - LABEL_WIDTH - COUNT_WIDTH)
        );
        assert_eq!(chart.rows[1].bars.len(), 2);
        assert!(chart.rows[1].label.ends_with('…'));
        assert_eq!(chart.rows[2].bars[0].width, "0.0");
        assert_eq!(chart.rows[2].counts[0].2, "0");
    }
}
