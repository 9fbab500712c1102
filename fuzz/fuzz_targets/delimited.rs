#![no_main]
// The first byte says whether the file is known to be a TSV; the rest is
// the file, Anki `#` headers and separator detection included.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else {
        return;
    };
    recall_fuzz::deck_parser_many(rest, |file, text| {
        recall::formats::delimited::parse(file, "stem", text, flag & 1 == 1).map(|l| l.decks)
    });
});
