//! What a path that is not a regular file is, in words: recall refuses
//! directories, FIFOs, devices and sockets wherever it reads or writes a
//! file (decks, review logs, `--db`, `--output`), and says which it found.

use std::fs::FileType;

/// `None` for a regular file; else "a directory", "a FIFO (named pipe)", …
pub fn special_kind(kind: &FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    Some(if kind.is_file() {
        return None;
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    })
}

/// What the file is, in words, for messages about one known not to be a
/// regular file.
pub fn describe(kind: &FileType) -> &'static str {
    special_kind(kind).unwrap_or("a regular file")
}
