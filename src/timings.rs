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
    let cpu_before = cpu_seconds();
    let out = f();
    let cpu = match (cpu_before, cpu_seconds()) {
        (Some(before), Some(after)) => format!("cpu {:>6.2} s", after - before),
        _ => String::new(),
    };
    eprintln!(
        "archlint timing: {phase:<28} {:>8.3} s {cpu} {:>8}",
        started.elapsed().as_secs_f64(),
        resident_memory().map_or(String::new(), |mb| format!("{mb} MB"))
    );
    out
}

/// CPU time of all threads so far, where the system tells (Linux, in ticks of 10 ms):
/// beside the wall time it shows how well a phase uses the cores.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces; the fields after it do not.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Resident memory now, where the system tells (Linux); a fresh page costs time on
/// first touch, so memory is part of where a run's time goes.
fn resident_memory() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}
