//! Moving among a chart's points with the keyboard. A map is one Tab stop: its first
//! point, the leftmost, takes the focus, and the arrow keys go on to the others in the
//! order they are seen (→ and ← left to right, ↓ and ↑ top to bottom, in screen
//! coordinates where y grows downwards), Home and End to the first and last from the
//! left. Ties go by the other coordinate, then by the order drawn, so every point is
//! reached and each arrow is undone by the opposite one.

/// A point's place in an order: left to right (`across`) or top to bottom, ties by the
/// other coordinate, then by the order drawn.
fn place(points: &[(f64, f64)], i: usize, across: bool) -> (f64, f64, usize) {
    let (x, y) = points[i];
    if across {
        (x, y, i)
    } else {
        (y, x, i)
    }
}

/// Whether place `a` comes before place `b`. (A scan, not a sort: a frame's code stays
/// small.)
fn before(a: (f64, f64, usize), b: (f64, f64, usize)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && (a.1 < b.1 || (a.1 == b.1 && a.2 < b.2)))
}

/// The point among `candidates` that comes first (`first`) or last in the order.
fn extreme(points: &[(f64, f64)], across: bool, first: bool, candidates: impl Iterator<Item = usize>) -> Option<usize> {
    candidates.reduce(|best, i| {
        let (a, b) = (place(points, i, across), place(points, best, across));
        if before(a, b) == first {
            i
        } else {
            best
        }
    })
}

/// The point that takes the focus when the map is tabbed into: the leftmost.
pub fn first_point(points: &[(f64, f64)]) -> Option<usize> {
    extreme(points, true, true, 0..points.len())
}

/// Where `key` (a `KeyboardEvent.key`) moves the focus from point `from`; `None` for a
/// key that is not the map's, or where nothing is further that way.
pub fn step_among(points: &[(f64, f64)], from: usize, key: &str) -> Option<usize> {
    let (across, forward) = match key {
        "ArrowRight" | "End" => (true, true),
        "ArrowLeft" | "Home" => (true, false),
        "ArrowDown" => (false, true),
        "ArrowUp" => (false, false),
        _ => return None,
    };
    if from >= points.len() {
        return None;
    }
    let here = place(points, from, across);
    let to = match key {
        "Home" => extreme(points, across, true, 0..points.len()),
        "End" => extreme(points, across, false, 0..points.len()),
        // The nearest place after this one, or before it.
        _ if forward => extreme(points, across, true, (0..points.len()).filter(|&i| before(here, place(points, i, across)))),
        _ => extreme(points, across, false, (0..points.len()).filter(|&i| before(place(points, i, across), here))),
    };
    to.filter(|&to| to != from)
}
