//! (being written)
pub struct Library;
pub struct Opened;
