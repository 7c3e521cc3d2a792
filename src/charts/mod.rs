//! Charts: pure functions from scores and series to SVG strings (plotters).
