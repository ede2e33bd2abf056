//! Line numbers of CSV records, counted as a text editor counts them.

/// Converts the byte offsets of CSV records into line numbers as a text editor shows them.
///
/// The csv crate skips blank lines, and a record's byte offset points before the blank lines
/// that come before it, so the counter first skips line breaks from the offset to where the
/// record's text starts. A line break inside a quoted value counts, as it does in an editor.
pub(super) struct LineCounter<'t> {
    bytes: &'t [u8],
    /// Start of the last record's text.
    offset: usize,
    /// Line breaks before `offset`.
    breaks: usize,
}

impl<'t> LineCounter<'t> {
    pub(super) fn new(bytes: &'t [u8]) -> Self {
        Self {
            bytes,
            offset: 0,
            breaks: 0,
        }
    }

    /// Returns the line of the record found at `byte`. Offsets must increase from call to call.
    pub(super) fn line_at(&mut self, byte: usize) -> usize {
        let rest = self.bytes.get(byte..).unwrap_or_default();
        let start = byte
            + rest
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        let between = self.bytes.get(self.offset..start).unwrap_or_default();
        self.breaks += count_line_breaks(between);
        self.offset = start.max(self.offset);
        self.breaks + 1
    }
}

/// Counts line breaks, each of which is CRLF, LF or a lone CR.
fn count_line_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .enumerate()
        .filter(|(index, &byte)| {
            byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        })
        .count()
}
