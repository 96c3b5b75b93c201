//! Phase timings on stderr when `ARCHLINT_TIMINGS` is set: where a slow run spends
//! its time, without a profiler. Off by default so reports stay deterministic.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("ARCHLINT_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// Runs `f`, and reports how long it took under `phase` when timings are on.
pub fn time<T>(phase: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let out = f();
    eprintln!(
        "archlint timing: {phase:<28} {:>8.3} s {:>8}",
        started.elapsed().as_secs_f64(),
        resident_memory().map_or(String::new(), |mb| format!("{mb} MB"))
    );
    out
}

/// Resident memory now, where the system tells (Linux); a fresh page costs time on
/// first touch, so memory is part of where a run's time goes.
fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
