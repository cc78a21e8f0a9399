//! Text shared by the reports: target keys, percentages, thresholds and HTML escaping.

/// The key of a target precision: its value with at most four decimals and no trailing zeros,
/// so 0.99 → `"0.99"`, 0.95 → `"0.95"`, 1 → `"1.0"`.
pub fn target_key(target: f64) -> String {
    let s = format!("{target:.4}");
    match s.split_once('.') {
        Some((whole, decimals)) => {
            let decimals = decimals.trim_end_matches('0');
            let decimals = if decimals.is_empty() { "0" } else { decimals };
            format!("{whole}.{decimals}")
        }
        None => s,
    }
}

/// A share as a percentage with one decimal (`0.3191` → `"31.9%"`); `"–"` when not finite.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1}%", share * 100.0)
    } else {
        "–".to_owned()
    }
}

/// An optional share as [`percent`], `"–"` when absent.
pub fn percent_or_dash(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), percent)
}

/// A threshold for people: four decimals, or a note that nothing clears it.
pub fn threshold(t: f32) -> String {
    if t.is_finite() && t <= 1.0 {
        format!("{t:.4}")
    } else {
        "none (nothing automated)".to_owned()
    }
}

/// A share as signed percentage points with one decimal (`-0.009` → `"−0.9"`).
pub fn points(share: f64) -> String {
    let p = format!("{:.1}", share * 100.0);
    match p.strip_prefix('-') {
        Some("0.0") => "0.0".to_owned(),
        Some(rest) => format!("−{rest}"),
        None => p,
    }
}

/// A count with thin thousands separators (`12345` → `"12 345"`).
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// Escapes text for HTML and SVG, in element content and in quoted attributes alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text`, with an ellipsis when cut (before escaping).
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_keys_are_short_and_exact() {
        assert_eq!(target_key(0.99), "0.99");
        assert_eq!(target_key(0.95), "0.95");
        assert_eq!(target_key(0.9), "0.9");
        assert_eq!(target_key(1.0), "1.0");
        assert_eq!(target_key(0.1 + 0.2), "0.3");
    }

    #[test]
    fn text_is_escaped_and_numbers_are_readable() {
        assert_eq!(
            escape(r#"<a href="x">R&D's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
        assert_eq!(percent(0.3191), "31.9%");
        assert_eq!(percent(f64::NAN), "–");
        assert_eq!(percent_or_dash(None), "–");
        assert_eq!(threshold(0.97341), "0.9734");
        assert_eq!(threshold(1.5), "none (nothing automated)");
        assert_eq!(count(1234567), "1\u{2009}234\u{2009}567");
        assert_eq!(count(999), "999");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }

    #[test]
    fn points_are_signed_without_a_negative_zero() {
        assert_eq!(points(0.041), "4.1");
        assert_eq!(points(-0.009), "−0.9");
        assert_eq!(points(-0.0001), "0.0");
    }
}
