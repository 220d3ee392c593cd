//! Calendar dates: parsed and validated once, here.

use std::fmt;
use std::str::FromStr;

/// A calendar date, as carried by an official file's name (`ServiceTags_Public_20251028`).
///
/// ```
/// use azure_service_tags::Date;
/// let date: Date = "2025-10-28".parse().unwrap();
/// assert_eq!((date.year(), date.month(), date.day()), (2025, 10, 28));
/// assert!("2025-02-31".parse::<Date>().is_err()); // February has no 31st
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

/// The error of parsing a [`Date`]: the text is not a real `YYYY-MM-DD` date.
///
/// ```
/// let err = "2025-13-01".parse::<azure_service_tags::Date>().unwrap_err();
/// assert!(err.to_string().contains("2025-13-01"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError(String);

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "date {:?} is not a real date as YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for ParseDateError {}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl Date {
    /// The date, if it exists in the calendar.
    ///
    /// ```
    /// use azure_service_tags::Date;
    /// assert!(Date::new(2024, 2, 29).is_some());
    /// assert!(Date::new(2025, 2, 29).is_none());
    /// ```
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Parses the `YYYYMMDD` form that official file names carry.
    ///
    /// ```
    /// use azure_service_tags::Date;
    /// assert_eq!(Date::from_compact("20251028").unwrap().to_string(), "2025-10-28");
    /// assert!(Date::from_compact("20251328").is_none());
    /// ```
    pub fn from_compact(digits: &str) -> Option<Date> {
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Date::new(
            digits[..4].parse().ok()?,
            digits[4..6].parse().ok()?,
            digits[6..].parse().ok()?,
        )
    }

    /// The year.
    ///
    /// ```
    /// assert!(azure_service_tags::public().published().unwrap().year() >= 2025);
    /// ```
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    ///
    /// ```
    /// assert!((1..=12).contains(&azure_service_tags::public().published().unwrap().month()));
    /// ```
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    ///
    /// ```
    /// assert!((1..=31).contains(&azure_service_tags::public().published().unwrap().day()));
    /// ```
    pub fn day(self) -> u8 {
        self.day
    }

    /// The date `days` days after 1970-01-01 (negative: before); `None` outside the
    /// years 0 to 65535.
    ///
    /// ```
    /// use azure_service_tags::Date;
    /// assert_eq!(Date::from_days_since_epoch(20_389).unwrap().to_string(), "2025-10-28");
    /// assert_eq!(Date::from_days_since_epoch(0).unwrap().to_string(), "1970-01-01");
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = u16::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_days_since_epoch`]).
    ///
    /// ```
    /// let date = azure_service_tags::public().published().unwrap();
    /// assert_eq!(azure_service_tags::Date::from_days_since_epoch(date.days_since_epoch()), Some(date));
    /// ```
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Today's date (UTC) by the system clock.
    ///
    /// ```
    /// assert!(azure_service_tags::Date::today().year() >= 2025);
    /// ```
    pub fn today() -> Date {
        let days = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| (d.as_secs() / 86_400) as i64);
        Date::from_days_since_epoch(days).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// `YYYYMMDD`, as official file names carry it.
    ///
    /// ```
    /// let date = azure_service_tags::Date::from_days_since_epoch(20_389).unwrap();
    /// assert_eq!(date.compact(), "20251028");
    /// ```
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ParseDateError;

    /// Parses `YYYY-MM-DD`, refusing dates the calendar does not have.
    fn from_str(s: &str) -> Result<Date, ParseDateError> {
        let bad = || ParseDateError(s.to_string());
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let digits = [&s[..4], &s[5..7], &s[8..]].concat();
        Date::from_compact(&digits).ok_or_else(bad)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn day_counts_and_dates_round_trip() {
        let mut previous: Option<Date> = None;
        for days in (-719_528..200_000).step_by(7) {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
            assert_eq!(date.to_string().parse::<Date>(), Ok(date));
            assert!(previous.is_none_or(|p| p < date));
            previous = Some(date);
        }
        assert_eq!(Date::from_days_since_epoch(-719_529), None, "before year 0");
        assert_eq!(Date::from_days_since_epoch(i64::MAX), None);
        assert_eq!(
            Date::from_days_since_epoch(11_016).unwrap().to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn only_real_dates_parse() {
        for good in ["2024-02-29", "2000-02-29", "2025-12-31", "0000-01-01"] {
            assert!(good.parse::<Date>().is_ok(), "{good}");
        }
        for bad in [
            "2025-02-31",
            "2025-02-29",
            "1900-02-29",
            "2025-04-31",
            "2025-13-01",
            "2025-00-10",
            "2025-01-00",
            "28/10/2025",
            "2025-1-01",
            "2025-01-1",
            "+025-01-01",
            "2025-10-28x",
            "",
            "2025_10_28",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }
}
