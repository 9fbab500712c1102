//! The note types a package holds, as data both collection layouts write:
//! the schema-11 JSON (`legacy`) and the schema-18 tables (`schema18`).
//! Each is shaped as Anki's stock type of its kind, with a third field,
//! Notes, for recall's notes (kept, not shown on the cards).

use super::notes::NoteKind;

/// Fixed note type ids: the same types on every export, so Anki sees a
/// re-import's notes as of the type it already has and updates them.
pub fn id(kind: NoteKind) -> i64 {
    match kind {
        NoteKind::Basic => 1_700_000_020_001,
        NoteKind::Reversed => 1_700_000_020_002,
        NoteKind::Cloze => 1_700_000_020_003,
        NoteKind::Typed => 1_700_000_020_004,
        NoteKind::TypedCloze => 1_700_000_020_005,
    }
}

pub const CSS: &str = ".card { font-family: arial; font-size: 20px; text-align: center; \
                       color: black; background-color: white; }";

/// The font every field is edited in, as Anki's stock types have it.
pub const FONT: (&str, u32) = ("Arial", 20);

/// Anki's LaTeX preamble and postamble for a new note type
/// (`rslib/src/notetype/header.tex`): a user who adds LaTeX to a card in
/// Anki has it rendered as in any type Anki made.
pub const LATEX_PRE: &str = "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\
                             \\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\
                             \\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\
                             \\begin{document}\n";
pub const LATEX_POST: &str = "\\end{document}";

/// A card template: name, question format, answer format.
pub type Template = (&'static str, &'static str, &'static str);

/// A note type's name, fields and templates, as Anki's stock types have
/// them (plus the Notes field). Named apart from the stock types: a
/// collection has its own "Basic" (another id), so Anki would import ours
/// as "Basic+", and a text file naming "Basic" would then not update the
/// notes it matches by GUID (Anki refuses a note type change there).
pub fn shape(kind: NoteKind) -> (&'static str, &'static [&'static str], Vec<Template>) {
    const BASIC: &[&str] = &["Front", "Back", "Notes"];
    const CLOZE: &[&str] = &["Text", "Back Extra", "Notes"];
    const FRONT_BACK: Template = (
        "Card 1",
        "{{Front}}",
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
    );
    match kind {
        NoteKind::Basic => ("recall Basic", BASIC, vec![FRONT_BACK]),
        NoteKind::Reversed => (
            "recall Basic (and reversed card)",
            BASIC,
            vec![
                FRONT_BACK,
                (
                    "Card 2",
                    "{{Back}}",
                    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}",
                ),
            ],
        ),
        // As Anki's stock type, with the FrontSide rule so that the answer
        // reads back without the front.
        NoteKind::Typed => (
            "recall Basic (type in the answer)",
            BASIC,
            vec![(
                "Card 1",
                "{{Front}}\n\n{{type:Back}}",
                "{{FrontSide}}\n\n<hr id=answer>\n\n{{type:Back}}",
            )],
        ),
        NoteKind::Cloze => (
            "recall Cloze",
            CLOZE,
            vec![(
                "Cloze",
                "{{cloze:Text}}",
                "{{cloze:Text}}{{#Back Extra}}<br><br>{{Back Extra}}{{/Back Extra}}",
            )],
        ),
        // The box on the front; the back repeats it ({{FrontSide}}), where
        // Anki's reviewer shows the comparison, and then the Cloze type's
        // back, which is what recall's importer reads after the <hr>.
        NoteKind::TypedCloze => (
            "recall Cloze (type in the answer)",
            CLOZE,
            vec![(
                "Cloze",
                "{{cloze:Text}}\n\n{{type:cloze:Text}}",
                "{{FrontSide}}\n\n<hr id=answer>\n\n\
                 {{cloze:Text}}{{#Back Extra}}<br><br>{{Back Extra}}{{/Back Extra}}",
            )],
        ),
    }
}

/// The note type's name (see `shape`).
pub fn name(kind: NoteKind) -> &'static str {
    shape(kind).0
}

/// Which field each template of a normal type needs to make a card: the
/// one its question shows, field `ord` for template `ord` (Anki's legacy
/// `req`, which old AnkiDroid versions still read). A cloze type has none:
/// its cards come from the deletions.
pub fn requirements(kind: NoteKind) -> Vec<u32> {
    if kind.is_cloze() {
        return Vec::new();
    }
    (0..shape(kind).2.len() as u32).collect()
}
