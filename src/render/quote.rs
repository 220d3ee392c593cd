//! Writing any string as a literal of each tool's language, so that the tool reads back
//! exactly that string: no expansion, no interpolation, no early end of the literal.

use std::fmt::Write as _;

/// A POSIX shell word: `'...'`, with `'` written as `'\''`. Inside single quotes a
/// shell expands nothing, and a newline is part of the word.
pub fn shell(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// An Azure CLI option with its value, as one shell word: `--name='value'`. The `=`
/// form keeps a value that starts with `-` from being read as the next option.
pub fn az_option(option: &str, value: &str) -> String {
    format!("{option}={}", shell(value))
}

/// The characters PowerShell takes for a single quote: `'` and U+2018 to U+201B.
const POWERSHELL_SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201a}', '\u{201b}'];

/// A PowerShell verbatim string: `'...'`, with every character PowerShell takes for a
/// single quote doubled, as PowerShell reads `''`.
pub fn powershell(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('\'');
    for c in s.chars() {
        o.push(c);
        if POWERSHELL_SINGLE_QUOTES.contains(&c) {
            o.push(c);
        }
    }
    o.push('\'');
    o
}

/// An HCL (Terraform) string literal: `"..."` with HCL's escapes, and `${` and `%{`
/// doubled so Terraform does not interpolate them.
pub fn hcl(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                o.push(c);
                o.push(c);
            }
            c if c.is_control() => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A Bicep string literal: `'...'` with `\`, `'`, `${` and the control characters
/// escaped (Bicep's single-line strings cannot hold a raw line break).
pub fn bicep(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('\'');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => o.push_str("\\$"),
            c if c.is_control() => {
                let _ = write!(o, "\\u{{{:x}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('\'');
    o
}

/// A literal string in an ARM template. ARM reads a string as an expression only when it
/// starts with `[` and ends with `]`, and reads such a string that starts with `[[` as
/// the literal without its first `[`: exactly those strings get one more `[` (`[rt]`
/// becomes `[[rt]`; `[rt]x`, `x]` and `[` stay as they are, since ARM keeps them).
#[cfg_attr(not(feature = "json"), allow(dead_code))]
pub fn arm(s: &str) -> String {
    if s.starts_with('[') && s.ends_with(']') {
        format!("[{s}")
    } else {
        s.to_string()
    }
}

/// A CSV field, quoted when it needs to be.
pub fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tool_gets_its_own_escapes() {
        assert_eq!(shell("it's"), r"'it'\''s'");
        assert_eq!(
            az_option("--resource-group", "-rg"),
            "--resource-group='-rg'"
        );
        assert_eq!(powershell("it's"), "'it''s'");
        assert_eq!(
            powershell("a\u{2019}b\u{201b}"),
            "'a\u{2019}\u{2019}b\u{201b}\u{201b}'"
        );
        assert_eq!(hcl("a\"${b}%{c}$d\n"), r#""a\"$${b}%%{c}$d\n""#);
        assert_eq!(bicep("it's ${x}\\\r\n"), r"'it\'s \${x}\\\r\n'");
        assert_eq!(bicep("\u{7}"), r"'\u{7}'");
        assert_eq!(arm("[rt]"), "[[rt]");
        assert_eq!(arm("rt[1]"), "rt[1]");
        assert_eq!(arm("[rt]x"), "[rt]x");
        assert_eq!(arm("x]"), "x]");
        assert_eq!(arm("["), "[");
        assert_eq!(arm("[]"), "[[]");
        assert_eq!(arm("[[rt]"), "[[[rt]");
        assert_eq!(csv("a,b"), "\"a,b\"");
    }
}
