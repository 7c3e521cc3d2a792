//! Moving among a chart's points with the keyboard. A map is one Tab stop: its first
//! point, the leftmost, takes the focus, and the arrow keys go on to the others in the
//! order they are seen (→ and ← left to right, ↓ and ↑ top to bottom, in screen
//! coordinates where y grows downwards), Home and End to the first and last from the
//! left. Ties go by the other coordinate, then by the order drawn, so every point is
//! reached and each arrow is undone by the opposite one.

/// The points' indices, left to right (`across`) or top to bottom.
fn order(points: &[(f64, f64)], across: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..points.len()).collect();
    let key = |i: usize| if across { (points[i].0, points[i].1) } else { (points[i].1, points[i].0) };
    idx.sort_by(|&a, &b| key(a).partial_cmp(&key(b)).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(&b)));
    idx
}

/// The point that takes the focus when the map is tabbed into: the leftmost.
pub fn first_point(points: &[(f64, f64)]) -> Option<usize> {
    order(points, true).first().copied()
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
    let order = order(points, across);
    let to = match key {
        "Home" => order.first().copied(),
        "End" => order.last().copied(),
        _ => {
            let at = order.iter().position(|&i| i == from)?;
            if forward {
                order.get(at + 1).copied()
            } else {
                at.checked_sub(1).map(|p| order[p])
            }
        }
    };
    to.filter(|&to| to != from)
}
