#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| recall_fuzz::deck_parser(
    data,
    recall::formats::json_deck::parse
));
