#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| recall_fuzz::deck_parser(data, |file, text| {
    recall::formats::markdown::parse(file, "stem", text).map(|m| m.deck)
}));
