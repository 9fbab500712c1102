#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| recall_fuzz::anki_template(data));
