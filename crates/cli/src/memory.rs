//! The process's peak resident memory, for the closing line of long commands (training,
//! replay), so an analyst sees what a run needed without wrapping it in `/usr/bin/time`.

/// The peak resident set size of this process (`VmHWM` in `/proc/self/status`), in bytes;
/// `None` where the kernel does not report it (not Linux).
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// The `VmHWM:   123456 kB` line of a `/proc/<pid>/status` text, in bytes.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// "peak memory 5.16 GB" (decimal units), or nothing where the peak is unknown.
pub fn peak_note() -> String {
    peak_resident_bytes()
        .map(|b| format!(", peak memory {:.2} GB", b as f64 / 1e9))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_high_water_mark_in_bytes() {
        let status = "Name:\tkontera\nVmPeak:\t  900 kB\nVmHWM:\t  5037848 kB\nVmRSS:\t 12 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(5_037_848 * 1024));
        assert_eq!(parse_vm_hwm("Name:\tkontera\n"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_a_peak() {
        let peak = peak_resident_bytes().expect("Linux reports VmHWM");
        assert!(
            peak > 1_000_000,
            "a test process holds more than 1 MB: {peak}"
        );
    }
}
