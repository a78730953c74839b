//! PDF documents (krilla) set in IPAexGothic, which is embedded (subset) so Japanese text
//! prints and copies the same everywhere. Text is laid out by hand: A4, lines broken by
//! width with the usual rule that closing punctuation never starts a line (禁則).
//! Everything drawn is plain text, so anything a user typed stays inert.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};

/// IPAexGothic 004.01 (IPA Font License v1.0, see assets/fonts/).
static IPAEX_GOTHIC: &[u8] = include_bytes!("../../assets/fonts/ipaexg.ttf");

/// One piece of a document, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    Heading(String),
    /// Small grey text (dates, names).
    Meta(String),
    Text(String),
    /// A labelled piece of text, e.g. a note's visibility and its body.
    Labelled(String, String),
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.5;

/// Characters that may not begin a line.
const NO_LINE_START: &str =
    "、。，．・：；？！）」』】〉》ー…‐–—ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.:;!?)]}";

/// The width of a character at size 1, close enough to break lines: full-width for
/// CJK and other wide characters, about half for Latin letters and digits.
fn advance(c: char) -> f32 {
    match c as u32 {
        0x0000..=0x02FF => {
            if c == ' ' {
                0.3
            } else if c.is_ascii_uppercase() || c == 'm' || c == 'w' {
                0.65
            } else {
                0.52
            }
        }
        0xFF61..=0xFF9F => 0.5, // half-width katakana
        _ => 1.0,
    }
}

/// Breaks text into lines at most `width` wide at `size`.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for c in para.chars() {
            let a = advance(c) * size;
            if w + a > width && !line.is_empty() && !NO_LINE_START.contains(c) {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            line.push(c);
            w += a;
        }
        lines.push(line);
    }
    lines
}

struct Writer {
    doc: Document,
    font: Font,
    /// Lines placed on the current page: (y, x, size, grey, text).
    pending: Vec<(f32, f32, f32, bool, String)>,
    y: f32,
}

impl Writer {
    fn flush_page(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let Some(settings) = PageSettings::from_wh(PAGE_W, PAGE_H) else {
            return;
        };
        let mut page = self.doc.start_page_with(settings);
        let mut surface = page.surface();
        for (y, x, size, grey, text) in self.pending.drain(..) {
            let shade = if grey { 100 } else { 20 };
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(shade, shade, shade).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            surface.draw_text(
                Point::from_xy(x, y),
                self.font.clone(),
                size,
                &text,
                false,
                TextDirection::Auto,
            );
        }
        surface.finish();
        page.finish();
        self.y = MARGIN;
    }

    fn line(&mut self, x: f32, size: f32, grey: bool, text: String) {
        let height = size * 1.7;
        if self.y + height > PAGE_H - MARGIN {
            self.flush_page();
        }
        self.y += height;
        self.pending.push((self.y, x, size, grey, text));
    }

    fn text(&mut self, x: f32, size: f32, grey: bool, text: &str) {
        for l in wrap(text, size, PAGE_W - MARGIN - x) {
            self.line(x, size, grey, l);
        }
    }
}

/// Renders the blocks as an A4 PDF with the given document title.
pub fn render(title: &str, blocks: &[Block]) -> Result<Vec<u8>, String> {
    let font = Font::new(IPAEX_GOTHIC.into(), 0).ok_or("the embedded font could not be read")?;
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .creator("Kyoritsu".to_string()),
    );
    let mut w = Writer {
        doc,
        font,
        pending: Vec::new(),
        y: MARGIN,
    };
    for b in blocks {
        match b {
            Block::Title(t) => {
                w.text(MARGIN, 18.0, false, t);
                w.y += 6.0;
            }
            Block::Heading(t) => {
                w.y += 8.0;
                w.text(MARGIN, 13.0, false, t);
            }
            Block::Meta(t) => w.text(MARGIN, 9.0, true, t),
            Block::Text(t) => w.text(MARGIN, BODY, false, t),
            Block::Labelled(label, t) => {
                w.text(MARGIN + 8.0, 8.5, true, &format!("［{label}］"));
                w.text(MARGIN + 8.0, BODY, false, t);
            }
        }
    }
    w.flush_page();
    w.doc.finish().map_err(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_by_width_and_closing_punctuation_never_starts_a_line() {
        let lines = wrap("あいうえおかきくけこ。", 10.0, 100.0);
        assert_eq!(lines, vec!["あいうえおかきくけこ。".to_string()]);
        let lines = wrap("あいうえおかきくけこさ", 10.0, 100.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1], "さ");
        assert_eq!(wrap("a\nb", 10.0, 100.0), vec!["a", "b"]);
    }

    #[test]
    fn a_document_is_a_pdf_with_the_font_embedded() {
        let pdf = render(
            "テスト",
            &[
                Block::Title("面談の記録".into()),
                Block::Text("<script>alert(1)</script> 日本語の本文".repeat(200)),
            ],
        )
        .expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        // Subset: far smaller than the 6 MB font.
        assert!(pdf.len() < 1_000_000, "{} bytes", pdf.len());
    }
}
