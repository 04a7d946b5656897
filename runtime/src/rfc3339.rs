//! RFC 3339 timestamps, read and written.
//!
//! The instant is a [`time::OffsetDateTime`]; the text is read and written here, so that the
//! runtime needs `time` without its `parsing` and `formatting` features (about a second of
//! every downstream build). Both follow `time`'s own RFC 3339 parser and formatter exactly,
//! which the tests check on many thousands of inputs, valid and not.

use core::fmt;

use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

/// Why an instant has no RFC 3339 form.
#[derive(Debug)]
pub(crate) struct NotRfc3339;

/// Writes `at` as RFC 3339 (`2022-08-06T07:31:01.207374Z`, `…+08:00`): the fraction without
/// trailing zeros, `Z` for UTC.
///
/// # Errors
///
/// For a year outside 0..=9999 or an offset with seconds, which RFC 3339 cannot express.
pub(crate) fn write(
    at: OffsetDateTime,
    out: &mut impl fmt::Write,
) -> Result<fmt::Result, NotRfc3339> {
    let (year, month, day) = at.to_calendar_date();
    let (hour, minute, second, nanos) = at.to_hms_nano();
    let (offset_hours, offset_minutes, offset_seconds) = at.offset().as_hms();
    if !(0..=9999).contains(&year) || offset_seconds != 0 {
        return Err(NotRfc3339);
    }
    let mut write = || -> fmt::Result {
        let month = u8::from(month);
        write!(
            out,
            "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"
        )?;
        if nanos != 0 {
            let digits = format!("{nanos:09}");
            write!(out, ".{}", digits.trim_end_matches('0'))?;
        }
        if at.offset().is_utc() {
            out.write_char('Z')
        } else {
            let sign = if at.offset().is_negative() { '-' } else { '+' };
            let (h, m) = (offset_hours.unsigned_abs(), offset_minutes.unsigned_abs());
            write!(out, "{sign}{h:02}:{m:02}")
        }
    };
    Ok(write())
}

/// Reads RFC 3339 text: `YYYY-MM-DD`, any one separator byte (RFC 3339 allows a space for
/// `T`), `hh:mm:ss`, an optional fraction of one or more digits (past the ninth ignored), and
/// `Z` (either case) or `±hh:mm` (hours up to 23). A leap second (`:60`) is the last
/// nanosecond before it, and only at the end of a month in UTC.
///
/// # Errors
///
/// What is wrong, and where (the byte offset).
pub(crate) fn parse(text: &str) -> Result<OffsetDateTime, String> {
    let mut r = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    let year = r.digits(4, "year")?;
    r.literal(b'-')?;
    let month = r.digits(2, "month")?;
    r.literal(b'-')?;
    let day = r.digits(2, "day")?;
    r.any("separator")?;
    let hour = r.digits(2, "hour")?;
    r.literal(b':')?;
    let minute = r.digits(2, "minute")?;
    r.literal(b':')?;
    let mut second = r.digits(2, "second")?;
    let mut nanos = 0;
    if r.peek() == Some(b'.') {
        r.at += 1;
        let mut unit = 100_000_000;
        let first = r.at;
        while let Some(digit @ b'0'..=b'9') = r.peek() {
            nanos += u32::from(digit - b'0') * unit;
            unit /= 10;
            r.at += 1;
        }
        if r.at == first {
            return Err(r.expected("a digit of the fraction of a second"));
        }
    }
    let offset = match r.peek() {
        Some(b'Z' | b'z') => {
            r.at += 1;
            UtcOffset::UTC
        }
        Some(sign @ (b'+' | b'-')) => {
            r.at += 1;
            let hours = r.digits(2, "offset hour")?;
            if hours > 23 {
                return Err(format!("the offset hour {hours} is past 23"));
            }
            r.literal(b':')?;
            let minutes = r.digits(2, "offset minute")?;
            #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // 2 digits
            let (hours, minutes) = (hours as i8, minutes as i8);
            let (hours, minutes) = if sign == b'-' {
                (-hours, -minutes)
            } else {
                (hours, minutes)
            };
            UtcOffset::from_hms(hours, minutes, 0).map_err(|e| e.to_string())?
        }
        _ => return Err(r.expected("`Z` or an offset (`+hh:mm`, `-hh:mm`)")),
    };
    if r.at != r.bytes.len() {
        return Err(format!(
            "unexpected text after the timestamp at byte {}",
            r.at
        ));
    }
    let leap_second = second == 60;
    if leap_second {
        second = 59;
        nanos = 999_999_999;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // at most 4 digits
    let year = year as i32;
    #[allow(clippy::cast_possible_truncation)] // 2 digits each
    let (month, day, hour, minute, second) = (
        month as u8,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
    );
    let month = Month::try_from(month).map_err(|e| e.to_string())?;
    let date = Date::from_calendar_date(year, month, day).map_err(|e| e.to_string())?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).map_err(|e| e.to_string())?;
    let at = OffsetDateTime::new_in_offset(date, time, offset);
    if leap_second && !is_leap_second_stand_in(at) {
        return Err("a leap second (`:60`) falls only at the end of a month in UTC".into());
    }
    Ok(at)
}

/// `true` for 23:59:59.999999999 UTC on the last day of a month: where a leap second is read.
fn is_leap_second_stand_in(at: OffsetDateTime) -> bool {
    at.checked_to_offset(UtcOffset::UTC).is_some_and(|utc| {
        let (hour, minute, second, nanos) = utc.to_hms_nano();
        (hour, minute, second, nanos) == (23, 59, 59, 999_999_999)
            && utc.day() == utc.month().length(utc.year())
    })
}

/// A cursor over the text.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn expected(&self, what: &str) -> String {
        match self.peek() {
            Some(b) if b.is_ascii_graphic() => {
                format!(
                    "expected {what} at byte {}, found `{}`",
                    self.at,
                    char::from(b)
                )
            }
            Some(b) => format!("expected {what} at byte {}, found byte 0x{b:02x}", self.at),
            None => format!("expected {what} at byte {}, found the end", self.at),
        }
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize, what: &str) -> Result<u32, String> {
        let mut value = 0;
        for _ in 0..n {
            match self.peek() {
                Some(digit @ b'0'..=b'9') => {
                    value = value * 10 + u32::from(digit - b'0');
                    self.at += 1;
                }
                _ => return Err(self.expected(&format!("a digit of the {what}"))),
            }
        }
        Ok(value)
    }

    fn literal(&mut self, byte: u8) -> Result<(), String> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.expected(&format!("`{}`", char::from(byte))))
        }
    }

    fn any(&mut self, what: &str) -> Result<(), String> {
        if self.peek().is_some() {
            self.at += 1;
            Ok(())
        } else {
            Err(self.expected(&format!("a {what}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;

    /// A xorshift stream.
    fn stream(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    /// The writer writes what `time`'s formatter writes (a dev-dependency feature), for
    /// instants across the years 0..=9999, every kind of fraction and offsets either side of
    /// UTC; and where `time` refuses, so does it.
    #[test]
    fn writes_as_time_writes() {
        let mut next = stream(0x0123_4567_89ab_cdef);
        let offsets = [
            UtcOffset::UTC,
            UtcOffset::from_hms(8, 0, 0).unwrap(),
            UtcOffset::from_hms(-3, -30, 0).unwrap(),
            UtcOffset::from_hms(14, 0, 0).unwrap(),
            UtcOffset::from_hms(0, 0, 30).unwrap(),
            UtcOffset::from_hms(-25, -59, -59).unwrap(),
        ];
        let first = -62_167_219_200_i64; // 0000-01-01T00:00:00Z
        let last = 253_402_300_799_i64; // 9999-12-31T23:59:59Z
        for i in 0..20_000u64 {
            let span = u64::try_from(last - first).unwrap();
            let secs = first + i64::try_from(next() % span).unwrap();
            let nanos = match i % 4 {
                0 => 0,
                1 => u32::try_from(next() % 1000).unwrap() * 1_000_000,
                2 => u32::try_from(next() % 1_000_000).unwrap() * 1000,
                _ => u32::try_from(next() % 1_000_000_000).unwrap(),
            };
            let offset = offsets[usize::try_from(next() % 6).unwrap()];
            let at = OffsetDateTime::from_unix_timestamp(secs)
                .unwrap()
                .replace_nanosecond(nanos)
                .unwrap()
                .to_offset(offset);
            let mut ours = String::new();
            let written = write(at, &mut ours).map(|r| r.map(|()| ours));
            match (written, at.format(&Rfc3339)) {
                (Ok(Ok(ours)), Ok(theirs)) => assert_eq!(ours, theirs, "{at}"),
                (Err(NotRfc3339), Err(_)) => {}
                (ours, theirs) => panic!("{at}: ours {ours:?}, time's {theirs:?}"),
            }
        }
        let year_minus_one = OffsetDateTime::from_unix_timestamp(first - 1).unwrap();
        assert!(write(year_minus_one, &mut String::new()).is_err());
    }

    /// The reader accepts what `time`'s parser accepts, with the same instant and offset, and
    /// refuses what it refuses: written timestamps, and the same with one byte changed, added
    /// or removed (digits, separators, signs, `Z`, dots, letters, bytes past ASCII), and the
    /// edges: leap seconds, month ends, offsets at and past their limits.
    #[test]
    fn reads_as_time_reads() {
        let mut next = stream(0xfeed_5eed_1234_5678);
        let mut inputs: Vec<String> = vec![
            "2022-08-06T07:31:01.207374Z".into(),
            "2022-08-06t07:31:01z".into(),
            "2022-08-06 07:31:01+08:00".into(),
            "2022-08-06T07:31:01.1234567891234-03:30".into(),
            "2016-12-31T23:59:60Z".into(),
            "2016-12-31T23:59:60.5Z".into(),
            "2016-12-30T23:59:60Z".into(),
            "2017-01-01T07:59:60+08:00".into(),
            "2016-06-30T23:59:60Z".into(),
            "2016-02-29T12:00:00Z".into(),
            "2015-02-29T12:00:00Z".into(),
            "2022-13-01T00:00:00Z".into(),
            "2022-00-01T00:00:00Z".into(),
            "2022-01-00T00:00:00Z".into(),
            "2022-01-32T00:00:00Z".into(),
            "2022-01-01T24:00:00Z".into(),
            "2022-01-01T23:60:00Z".into(),
            "2022-01-01T23:59:61Z".into(),
            "2022-01-01T00:00:00+23:59".into(),
            "2022-01-01T00:00:00+24:00".into(),
            "2022-01-01T00:00:00-23:60".into(),
            "2022-01-01T00:00:00.Z".into(),
            "2022-01-01T00:00:00".into(),
            "2022-01-01T00:00:00Zx".into(),
            "2022-01-01".into(),
            "0000-01-01T00:00:00Z".into(),
            "9999-12-31T23:59:59.999999999Z".into(),
            "9999-12-31T23:59:60Z".into(),
            "0000-01-01T00:00:00+01:00".into(),
            "2022-01-01é00:00:00Z".into(),
            String::new(),
        ];
        let first = -62_167_219_200_i64;
        let last = 253_402_300_799_i64;
        let offsets = [
            UtcOffset::UTC,
            UtcOffset::from_hms(5, 45, 0).unwrap(),
            UtcOffset::from_hms(-11, 0, 0).unwrap(),
        ];
        let alphabet = b"0123456789-:.+ZzTt \xc3x\x00";
        for i in 0..10_000u64 {
            let span = u64::try_from(last - first).unwrap();
            let at =
                OffsetDateTime::from_unix_timestamp(first + i64::try_from(next() % span).unwrap())
                    .unwrap()
                    .replace_nanosecond(
                        u32::try_from(next() % 1_000_000_000).unwrap()
                            / [1, 1000, 1_000_000][usize::try_from(i % 3).unwrap()],
                    )
                    .unwrap()
                    .to_offset(offsets[usize::try_from(next() % 3).unwrap()]);
            let Ok(text) = at.format(&Rfc3339) else {
                continue;
            };
            inputs.push(text.clone());
            // One byte changed, added or removed.
            let mut bytes = text.into_bytes();
            let position = usize::try_from(next()).unwrap() % bytes.len();
            let byte = alphabet[usize::try_from(next()).unwrap() % alphabet.len()];
            match next() % 3 {
                0 => bytes[position] = byte,
                1 => bytes.insert(position, byte),
                _ => {
                    bytes.remove(position);
                }
            }
            inputs.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        let (mut accepted, mut refused) = (0, 0);
        for text in &inputs {
            match (parse(text), OffsetDateTime::parse(text, &Rfc3339)) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(ours, theirs, "{text:?}");
                    assert_eq!(ours.offset(), theirs.offset(), "{text:?}");
                    accepted += 1;
                }
                (Err(why), Err(_)) => {
                    assert!(!why.is_empty());
                    refused += 1;
                }
                (ours, theirs) => panic!("{text:?}: ours {ours:?}, time's {theirs:?}"),
            }
        }
        // Both kinds in numbers, so that the comparison means something either way.
        assert!(
            accepted > 10_000 && refused > 5_000,
            "{accepted} accepted, {refused} refused"
        );
    }

    #[test]
    fn errors_say_what_is_wrong_and_where() {
        assert_eq!(
            parse("2022-08-06X07:31:01.Z").unwrap_err(),
            "expected a digit of the fraction of a second at byte 20, found `Z`"
        );
        assert_eq!(
            parse("2022/08/06T07:31:01Z").unwrap_err(),
            "expected `-` at byte 4, found `/`"
        );
        assert_eq!(
            parse("2022-08-06T07:31:01").unwrap_err(),
            "expected `Z` or an offset (`+hh:mm`, `-hh:mm`) at byte 19, found the end"
        );
        assert_eq!(
            parse("2022-08-06T07:31:01+25:00").unwrap_err(),
            "the offset hour 25 is past 23"
        );
        assert!(parse("2022-02-30T07:31:01Z").unwrap_err().contains("day"));
    }
}
