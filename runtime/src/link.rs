//! HTTP headers that registries page and authenticate with: RFC 8288 `Link` (the next page of
//! the OCI Distribution API's `/v2/_catalog` and `tags/list`) and RFC 9110 `WWW-Authenticate`
//! challenges (`Bearer realm="…",service="…",scope="…"`).
//!
//! Both parsers take any input without panicking, bound their work by the input's length, and
//! return `None` (or skip the part) for what does not follow the grammar.

use core::fmt;

/// The target of the first link with relation `rel` in a `Link` header value (RFC 8288 §3):
/// `</v2/_catalog?last=b&n=2>; rel="next"` gives `/v2/_catalog?last=b&n=2` for `next`.
///
/// Several links may share one header, separated by commas; a `rel` may hold several
/// space-separated relation types, compared without regard to ASCII case.
///
/// ```
/// use crspec_runtime::wire::link_target;
///
/// let header = r#"</v2/_catalog?last=b&n=2>; rel="next", </v2/_catalog>; rel=first"#;
/// assert_eq!(link_target(header, "next"), Some("/v2/_catalog?last=b&n=2"));
/// assert_eq!(link_target(header, "first"), Some("/v2/_catalog"));
/// assert_eq!(link_target(header, "prev"), None);
/// ```
#[must_use]
pub fn link_target<'h>(header: &'h str, rel: &str) -> Option<&'h str> {
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        let after_open = rest.strip_prefix('<')?;
        let close = after_open.find('>')?;
        let target = &after_open[..close];
        rest = &after_open[close + 1..];
        // The link's parameters, up to the comma that starts the next link (outside quotes).
        let mut params_end = rest.len();
        let mut quoted = false;
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    params_end = i;
                    break;
                }
                _ => {}
            }
        }
        let params = &rest[..params_end];
        rest = &rest[params_end..];
        for (name, value) in auth_params(params.trim_start_matches(';'), ';') {
            if name.eq_ignore_ascii_case("rel")
                && value
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
            {
                return Some(target);
            }
        }
        if rest.is_empty() {
            return None;
        }
    }
}

/// `name=value` pairs separated by `separator`, a value a token or a quoted string (its
/// escapes undone). Pairs that do not parse are skipped.
fn auth_params(text: &str, separator: char) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        rest = rest.trim_start_matches(|c: char| c == separator || c.is_ascii_whitespace());
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim();
        // A name with a separator in it is the rest of a broken pair: skip to the separator.
        if name.is_empty() || name.contains(separator) || name.contains(char::is_whitespace) {
            match rest.find(separator) {
                Some(at) => {
                    rest = &rest[at + separator.len_utf8()..];
                    continue;
                }
                None => break,
            }
        }
        let after = rest[eq + 1..].trim_start();
        let (value, tail) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut escaped = false;
            let mut end = None;
            for (i, c) in quoted.char_indices() {
                match c {
                    _ if escaped => {
                        value.push(c);
                        escaped = false;
                    }
                    '\\' => escaped = true,
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            // An unclosed quote takes the rest.
            (value, &quoted[end.unwrap_or(quoted.len())..])
        } else {
            let end = after.find(separator).unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        out.push((name.to_owned(), value));
        rest = tail;
    }
    out
}

/// A `WWW-Authenticate` challenge: the scheme and its parameters, as an OCI registry sends it
/// to ask for a token (`Bearer realm="https://auth.example/token",service="registry",
/// scope="repository:team/app:pull"`) or for a password (`Basic realm="Registry"`).
///
/// ```
/// use crspec_runtime::wire::Challenge;
///
/// let header = r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#;
/// let challenge = Challenge::parse(header).unwrap();
/// assert!(challenge.is_bearer());
/// assert_eq!(challenge.realm(), Some("https://auth.docker.io/token"));
/// assert_eq!(challenge.param("service"), Some("registry.docker.io"));
/// assert_eq!(challenge.param("scope"), Some("repository:library/alpine:pull"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    scheme: String,
    params: Vec<(String, String)>,
}

impl Challenge {
    /// The challenge of a `WWW-Authenticate` header value (its first one, when it holds
    /// several), or `None` when it has no scheme.
    #[must_use]
    pub fn parse(header: &str) -> Option<Self> {
        let header = header.trim_start();
        let end = header
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(header.len());
        let scheme = &header[..end];
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return None;
        }
        let params = auth_params(&header[end..], ',')
            .into_iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .collect();
        Some(Self {
            scheme: scheme.to_owned(),
            params,
        })
    }

    /// The scheme as sent (`Bearer`, `Basic`).
    #[must_use]
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// `true` for the `Bearer` scheme (compared without regard to case).
    #[must_use]
    pub fn is_bearer(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("bearer")
    }

    /// The value of the parameter `name` (compared without regard to case).
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `realm`: for `Bearer`, the URL of the token service.
    #[must_use]
    pub fn realm(&self) -> Option<&str> {
        self.param("realm")
    }
}

impl fmt::Display for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.scheme)?;
        for (i, (name, value)) in self.params.iter().enumerate() {
            let sep = if i == 0 { " " } else { "," };
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            write!(f, "{sep}{name}=\"{escaped}\"")?;
        }
        Ok(())
    }
}

/// The query of a link target (`/v2/_catalog?last=b&n=2`), its names and values
/// percent-decoded, with `+` read as a space (as HTML forms and Go's `url.Values`, which the
/// reference registry pages with, write one). What an API that pages by `Link` headers puts
/// into the next request: its members in the query take the values the link gives them.
///
/// ```
/// use crspec_runtime::wire::QueryPairs;
///
/// let query = QueryPairs::of("/v2/_catalog?last=team%2Fapp&n=2#top");
/// assert_eq!(query.get("last"), Some("team/app"));
/// assert_eq!(query.get("n"), Some("2"));
/// assert_eq!(query.get("missing"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPairs(Vec<(String, String)>);

impl QueryPairs {
    /// The pairs of `target`'s query: after its first `?`, up to a `#`; empty without a `?`.
    /// A pair without `=` has an empty value; bytes that are not UTF-8 after decoding are
    /// replaced with U+FFFD.
    #[must_use]
    pub fn of(target: &str) -> Self {
        let Some((_, query)) = target.split_once('?') else {
            return Self::default();
        };
        let query = query.split_once('#').map_or(query, |(q, _)| q);
        let decode = |s: &str| {
            let s = s.replace('+', " ");
            percent_encoding::percent_decode_str(&s)
                .decode_utf8_lossy()
                .into_owned()
        };
        Self(
            query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(name), decode(value))
                })
                .collect(),
        )
    }

    /// The value of the first pair named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the query has no pairs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `QueryPairs` against rust-url's `form_urlencoded::parse` (the URL Standard's
    /// application/x-www-form-urlencoded parser) on 20,000 random queries over the characters
    /// that matter: separators, `+`, `%` with good and bad escapes, non-ASCII.
    #[test]
    fn query_pairs_decode_as_the_url_standard_does() {
        const PARTS: [&str; 14] = [
            "a", "n", "=", "&", "+", "%2F", "%zz", "%", "%C3%A9", "%FF", "é", "2", "==", "&&",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = next() % 12;
            let query: String = (0..len)
                .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
                .collect();
            let ours = QueryPairs::of(&format!("/v2/_catalog?{query}#frag"));
            let theirs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect();
            assert_eq!(ours.0, theirs, "query {query:?}");
        }
        assert!(QueryPairs::of("/v2/_catalog").is_empty());
        assert_eq!(QueryPairs::of("?n=1&n=2").get("n"), Some("1"));
    }

    #[test]
    fn links_with_several_relations_quotes_and_spaces() {
        let h = r#"<https://r.example/v2/x/tags/list?n=2&last=b>; rel="next prev"; title="a, b""#;
        assert_eq!(
            link_target(h, "prev"),
            Some("https://r.example/v2/x/tags/list?n=2&last=b")
        );
        // A comma inside a quoted parameter does not start a link.
        let h = r#"</a>; title="x, <y>; rel=next", </b>; REL=Next"#;
        assert_eq!(link_target(h, "next"), Some("/b"));
        assert_eq!(link_target("", "next"), None);
        assert_eq!(link_target("</a>", "next"), None);
        assert_eq!(link_target("<unclosed; rel=next", "next"), None);
        assert_eq!(link_target("</a>; rel=next", "next"), Some("/a"));
    }

    #[test]
    fn challenges_with_escapes_and_broken_parts() {
        let c = Challenge::parse(r#"Basic realm="Registry \"r\"""#).unwrap();
        assert_eq!(c.scheme(), "Basic");
        assert!(!c.is_bearer());
        assert_eq!(c.realm(), Some(r#"Registry "r""#));
        assert_eq!(
            Challenge::parse(r#"Basic realm="Registry \"r\"""#),
            Some(c.clone())
        );
        assert_eq!(Challenge::parse(&c.to_string()), Some(c));
        let c = Challenge::parse("bearer realm=https://a/token, Scope=\"x\", broken, service=s")
            .unwrap();
        assert!(c.is_bearer());
        assert_eq!(c.realm(), Some("https://a/token"));
        assert_eq!(c.param("scope"), Some("x"));
        assert_eq!(c.param("service"), Some("s"));
        assert_eq!(Challenge::parse(""), None);
        assert_eq!(Challenge::parse("  "), None);
        assert_eq!(Challenge::parse("\"quoted\" realm=x"), None);
    }

    #[test]
    fn hostile_input_never_panics() {
        let pieces = [
            "<", ">", ";", ",", "=", "\"", "\\", " ", "rel", "next", "é", "a", "Bearer",
        ];
        // Every string of up to four pieces: 30,941 strings.
        let mut stack = vec![(String::new(), 0)];
        while let Some((s, depth)) = stack.pop() {
            let _ = link_target(&s, "next");
            let _ = Challenge::parse(&s).map(|c| c.to_string());
            if depth < 4 {
                for p in pieces {
                    stack.push((format!("{s}{p}"), depth + 1));
                }
            }
        }
    }
}
