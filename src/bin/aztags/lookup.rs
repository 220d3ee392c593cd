//! `aztags lookup`'s streaming: lines read in blocks answered side by side on the
//! machine's cores, IPv4 parsed in one pass, table rows looked up in batches
//! (`Snapshot::tags_containing_each`) and written from each answer's text, kept once.

use std::io::{self, Read, Write};
use std::net::IpAddr;

use azure_service_tags::{AddressError, Snapshot, TagsContaining, parse_ip, parse_ip_trimmed};

use super::{Fail, LookupLine, Output, TagBrief, emit_json, input};

/// `lookup`'s state: where answers go, and what it has seen.
pub(crate) struct Lookup<'s, W: Write> {
    pub(crate) snap: &'s Snapshot,
    pub(crate) format: Output,
    pub(crate) out: W,
    /// Answers not yet written: appended to without a call per piece, and written out
    /// in blocks of `write_at` bytes.
    pub(crate) pending: Vec<u8>,
    write_at: usize,
    /// Some address is in no tag.
    pub(crate) unmatched: bool,
    /// Inputs that were not addresses.
    pub(crate) bad: usize,
    /// What to say of them on standard error, once the answers before them are out.
    errors: Vec<u8>,
    /// Table rows waiting for their lookup: the addresses, and how each is written
    /// (`queued_text[queued_ends[i - 1]..queued_ends[i]]`).
    queued: Vec<IpAddr>,
    queued_text: Vec<u8>,
    queued_ends: Vec<usize>,
    /// The batch lookup's answers, one per queued address.
    answers: Vec<TagsContaining<'s>>,
    /// Each answer's table text (`<tab>tag,tag,...<newline>`) once it has been written:
    /// `rows[rendered[id].0..rendered[id].1]` for set id `id` (`(0, 0)`: not yet).
    rows: Vec<u8>,
    rendered: Vec<(u32, u32)>,
}

/// Table rows looked up together.
const BATCH: usize = 256;

impl<'s, W: Write> Lookup<'s, W> {
    /// A lookup in `snap` that writes `format` to `out`.
    pub(crate) fn new(snap: &'s Snapshot, format: Output, out: W) -> Self {
        Lookup {
            snap,
            format,
            out,
            pending: Vec::with_capacity(1 << 17),
            write_at: 1 << 16,
            unmatched: false,
            bad: 0,
            errors: Vec::new(),
            queued: Vec::with_capacity(BATCH),
            queued_text: Vec::with_capacity(BATCH * 16),
            queued_ends: Vec::with_capacity(BATCH),
            answers: vec![snap.no_tags(); BATCH],
            rows: Vec::new(),
            rendered: Vec::new(),
        }
    }

    /// Answers one line or argument; `origin` names it in errors. Blank lines are
    /// skipped.
    pub(crate) fn line(&mut self, bytes: &[u8], origin: impl Fn() -> String) {
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() {
            return;
        }
        let ip = match parse_ip(trimmed) {
            // The fast path: an IPv4 address in the one spelling Rust accepts, which is
            // also how it prints, so the input is echoed as it is.
            Some(IpAddr::V4(ip)) if self.format == Output::Table => {
                self.queued_text.extend_from_slice(trimmed);
                self.queue(IpAddr::V4(ip));
                return;
            }
            Some(ip) => ip,
            // The lenient rule: other whitespace than ASCII's around it is trimmed too.
            None => match parse_ip_trimmed(bytes) {
                Some(ip) => ip,
                None => {
                    let text = std::str::from_utf8(bytes).map(str::trim);
                    let text = text.unwrap_or("\u{fffd}(not UTF-8)");
                    let why = AddressError::of(text);
                    let _ = writeln!(self.errors, "aztags: {}: {why}", origin());
                    self.bad += 1;
                    return;
                }
            },
        };
        match self.format {
            Output::Json => {
                let found = self.snap.tags_containing(ip);
                self.unmatched |= found.len() == 0;
                emit_json(
                    &mut self.pending,
                    &LookupLine {
                        ip: ip.to_string(),
                        tags: found.map(TagBrief::of).collect(),
                    },
                );
                self.flush_some();
            }
            Output::Table => {
                match ip {
                    IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
                        write_ipv6(&mut self.queued_text, v6)
                    }
                    // Writing into a Vec cannot fail.
                    ip => {
                        let _ = write!(self.queued_text, "{ip}");
                    }
                }
                self.queue(ip);
            }
        }
    }

    /// Queues a table row whose address text is already in `queued_text`; a full
    /// queue is answered.
    #[inline]
    fn queue(&mut self, ip: IpAddr) {
        self.queued.push(ip);
        self.queued_ends.push(self.queued_text.len());
        if self.queued.len() == BATCH {
            self.answer_queued();
        }
    }

    /// Looks the queued rows up in one batch and writes them, in order.
    fn answer_queued(&mut self) {
        let n = self
            .snap
            .tags_containing_each(&self.queued, &mut self.answers);
        let mut from = 0;
        for i in 0..n {
            let to = self.queued_ends[i];
            self.pending.extend_from_slice(&self.queued_text[from..to]);
            let found = self.answers[i].clone();
            self.unmatched |= found.len() == 0;
            let (start, end) = self.table_row(found);
            self.pending.extend_from_slice(&self.rows[start..end]);
            from = to;
        }
        self.queued.clear();
        self.queued_text.clear();
        self.queued_ends.clear();
        self.flush_some();
    }

    /// Where `rows` holds the rest of a table row after the address, `<tab>tag,tag,...`
    /// or `<tab>-`, and the newline: written the first time the answer comes up.
    fn table_row(&mut self, found: TagsContaining<'_>) -> (usize, usize) {
        let id = found.set_id() as usize;
        if id >= self.rendered.len() {
            self.rendered.resize(id + 1, (0, 0));
        }
        let (start, end) = self.rendered[id];
        if end > 0 {
            return (start as usize, end as usize);
        }
        let start = self.rows.len();
        let row = &mut self.rows;
        row.push(b'\t');
        if found.len() == 0 {
            row.push(b'-');
        }
        for (i, t) in found.enumerate() {
            if i > 0 {
                row.push(b',');
            }
            row.extend_from_slice(t.name().as_bytes());
        }
        row.push(b'\n');
        // The rows of every set of a snapshot are far below 4 GiB.
        self.rendered[id] = (start as u32, row.len() as u32);
        (start, row.len())
    }

    /// Writes the pending answers out once there are enough of them.
    #[inline]
    fn flush_some(&mut self) {
        if self.pending.len() >= self.write_at {
            self.write_pending();
        }
    }

    /// Answers the queued rows and writes every pending answer out.
    pub(crate) fn flush(&mut self) {
        self.answer_queued();
        self.write_pending();
    }

    /// Writes the answers gathered so far.
    fn write_pending(&mut self) {
        let _ = self.out.write_all(&self.pending);
        self.pending.clear();
    }

    /// Answers each line of `reader`, read in blocks of whole lines. With more than
    /// one core, a round of blocks is answered side by side, one block a thread, and
    /// the answers (and the errors, on standard error) are written in input order. A
    /// UTF-8 BOM before the first line is skipped; a line that is not an address is
    /// reported, with its number.
    pub(crate) fn stream(&mut self, reader: impl Read, name: &str) -> Result<(), Fail> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        // A helper keeps its block's answers until this thread writes them.
        let mut helpers: Vec<Lookup<'s, io::Sink>> = (1..threads.min(MAX_THREADS))
            .map(|_| {
                let mut helper = Lookup::new(self.snap, self.format, io::sink());
                helper.write_at = usize::MAX;
                helper
            })
            .collect();
        let mut blocks = Blocks::new(reader, name);
        let mut round = vec![(Vec::new(), 0); helpers.len() + 1];
        loop {
            let first_line = blocks.lines;
            let (mut filled, mut failed) = (0, None);
            while filled < round.len() {
                let (block, lines) = &mut round[filled];
                match blocks.next_into(block) {
                    Ok(Some(n)) => *lines = n,
                    Ok(None) => break,
                    // The lines read before a read error are answered first.
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
                filled += 1;
            }
            let Some(((mine, my_lines), theirs)) = round[..filled].split_first() else {
                return failed.map_or(Ok(()), Err);
            };
            std::thread::scope(|scope| {
                let mut from = first_line + my_lines;
                for (helper, (block, lines)) in helpers.iter_mut().zip(theirs) {
                    scope.spawn(move || helper.block(block, from, name));
                    from += lines;
                }
                self.block(mine, first_line, name);
            });
            self.flush();
            self.report_errors();
            for helper in &mut helpers[..filled - 1] {
                helper.answer_queued();
                let _ = self.out.write_all(&helper.pending);
                helper.pending.clear();
                helper.report_errors();
                self.bad += std::mem::take(&mut helper.bad);
                self.unmatched |= std::mem::take(&mut helper.unmatched);
            }
            if let Some(e) = failed {
                return Err(e);
            }
        }
    }

    /// Answers the lines of `block`, whose first line is line `first_line + 1` of the
    /// input `name`.
    fn block(&mut self, block: &[u8], first_line: usize, name: &str) {
        let mut n = first_line;
        let mut from = 0;
        while from < block.len() {
            let to = memchr::memchr(b'\n', &block[from..]).map_or(block.len(), |i| from + i + 1);
            n += 1;
            let line = &block[from..to];
            // A first line may start with a UTF-8 byte-order mark.
            let line = match n {
                1 => line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line),
                _ => line,
            };
            self.line(line, || format!("{name}:{n}"));
            from = to;
        }
    }

    /// Writes the errors gathered so far to standard error.
    pub(crate) fn report_errors(&mut self) {
        let _ = io::stderr().lock().write_all(&self.errors);
        self.errors.clear();
    }
}

/// Threads that answer blocks of one input side by side, at most.
const MAX_THREADS: usize = 4;

/// How many lines `block` holds (its last line may lack a newline).
fn line_count(block: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', block).count();
    newlines + usize::from(block.last().is_some_and(|&b| b != b'\n'))
}

/// An input cut into blocks of whole lines.
struct Blocks<'n, R: Read> {
    reader: R,
    name: &'n str,
    /// The start of a line that the last block left out.
    rest: Vec<u8>,
    /// Lines in the blocks handed out so far.
    lines: usize,
    /// The reader has said it has no more.
    done: bool,
}

/// A block is at least this long, unless it is the input's last.
const BLOCK: usize = 1 << 20;

impl<'n, R: Read> Blocks<'n, R> {
    fn new(reader: R, name: &'n str) -> Self {
        Blocks {
            reader,
            name,
            rest: Vec::new(),
            lines: 0,
            done: false,
        }
    }

    /// Fills `block` with the next block of whole lines (a line longer than a block
    /// makes the block longer) and says how many lines it holds; `None` at the end of
    /// the input.
    fn next_into(&mut self, block: &mut Vec<u8>) -> Result<Option<usize>, Fail> {
        block.clear();
        block.append(&mut self.rest);
        while !self.done {
            if block.len() >= BLOCK
                && let Some(last) = memchr::memrchr(b'\n', block)
            {
                self.rest.extend_from_slice(&block[last + 1..]);
                block.truncate(last + 1);
                break;
            }
            // Appends up to a block (into the vector's spare room, not zeroed first),
            // retrying interrupted reads; less than asked for is the input's end.
            let at = block.len();
            match (&mut self.reader).take(BLOCK as u64).read_to_end(block) {
                Ok(read) => self.done = read < BLOCK,
                Err(e) => {
                    let n = self.lines + line_count(&block[..at]) + 1;
                    return Err(input(format!("{}: cannot read line {n}: {e}", self.name)));
                }
            }
        }
        if block.is_empty() {
            return Ok(None);
        }
        let lines = line_count(block);
        self.lines += lines;
        Ok(Some(lines))
    }
}

impl<W: Write> Drop for Lookup<'_, W> {
    /// Whatever ends the lookup, the answers given so far are written, and the errors.
    fn drop(&mut self) {
        self.flush();
        self.report_errors();
    }
}

/// Appends an IPv6 address as `Ipv6Addr`'s `Display` writes it (RFC 5952: lowercase
/// hex without leading zeros, the longest run of two or more zero groups, the first of
/// equals, as `::`), without the formatting machinery. IPv4-mapped addresses, which
/// print in dotted form, are not for this function.
fn write_ipv6(out: &mut Vec<u8>, ip: std::net::Ipv6Addr) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let groups = ip.segments();
    let (mut best, mut best_len, mut run, mut run_len) = (0, 0, 0, 0);
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            if run_len == 0 {
                run = i;
            }
            run_len += 1;
            if run_len > best_len {
                (best, best_len) = (run, run_len);
            }
        } else {
            run_len = 0;
        }
    }
    let write_group = |out: &mut Vec<u8>, g: u16| {
        let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
        for d in (0..digits).rev() {
            out.push(HEX[usize::from((g >> (4 * d)) & 0xf)]);
        }
    };
    let mut i = 0;
    while i < 8 {
        if best_len > 1 && i == best {
            out.extend_from_slice(b"::");
            i += best_len;
            continue;
        }
        if i > 0 && !(best_len > 1 && i == best + best_len) {
            out.push(b':');
        }
        write_group(out, groups[i]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::write_ipv6;

    /// The IPv6 writer writes what `Display` writes.
    #[test]
    fn ipv6_is_written_as_display_writes_it() {
        let mut cases: Vec<std::net::Ipv6Addr> = [
            "::",
            "::1",
            "1::",
            "2603:1030:40b::1",
            "1:0:0:1:0:0:0:1",
            "1:0:0:0:1:0:0:1",
            "0:0:1:0:0:1:0:0",
            "1:2:3:4:5:6:7:8",
            "1:0:2:3:4:5:6:7",
            "fe80::abcd:0:0:1",
            "::1:0:0:0:0:0:0",
            "0:1::",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..50_000 {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            let r = u128::from(x.wrapping_mul(0x2545_f491_4f6c_dd1d));
            // Zero some groups so that runs of zeros are common.
            let mask = (0..8).fold(0u128, |m, i| {
                if (r >> (64 + i)) & 1 == 1 {
                    m | 0xffff << (16 * i)
                } else {
                    m
                }
            });
            cases.push(std::net::Ipv6Addr::from((r | r << 64) & mask));
        }
        for ip in cases.into_iter().filter(|ip| ip.to_ipv4_mapped().is_none()) {
            let mut out = Vec::new();
            write_ipv6(&mut out, ip);
            assert_eq!(String::from_utf8(out).unwrap(), ip.to_string());
        }
    }
}
