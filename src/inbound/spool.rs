//! DATA as it arrives: in memory up to a threshold, then in an unnamed
//! temporary file, so a session's memory stays the same whatever the size
//! of the message it receives.

use std::{io, path::PathBuf};

use tokio::{
    fs::File,
    io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt},
};

pub(super) struct Spool {
    memory: Vec<u8>,
    file: Option<File>,
    len: usize,
    threshold: usize,
    dir: Option<PathBuf>,
}

impl Spool {
    pub(super) fn new(threshold: usize, dir: Option<PathBuf>) -> Self {
        Self {
            memory: Vec::new(),
            file: None,
            len: 0,
            threshold,
            dir,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.file.is_none() && self.memory.len() + bytes.len() > self.threshold {
            // The file has no name and disappears when closed, crash or not.
            let dir = self.dir.clone();
            let std_file = tokio::task::spawn_blocking(move || match dir {
                Some(dir) => tempfile::tempfile_in(dir),
                None => tempfile::tempfile(),
            })
            .await
            .map_err(io::Error::other)??;
            let mut file = File::from_std(std_file);
            file.write_all(&self.memory).await?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match self.file.as_mut() {
            Some(file) => file.write_all(bytes).await?,
            None => self.memory.extend_from_slice(bytes),
        }
        self.len += bytes.len();
        Ok(())
    }

    /// The whole message. The caller holds its size from the byte budget.
    pub(super) async fn into_bytes(self) -> io::Result<Vec<u8>> {
        let Some(mut file) = self.file else {
            return Ok(self.memory);
        };
        file.flush().await?;
        file.seek(io::SeekFrom::Start(0)).await?;
        let mut bytes = Vec::with_capacity(self.len);
        file.read_to_end(&mut bytes).await?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn small_messages_stay_in_memory_and_large_ones_round_trip_through_a_file() {
        let mut small = Spool::new(16, None);
        small.write(b"hello ").await.unwrap();
        small.write(b"world").await.unwrap();
        assert!(small.file.is_none());
        assert_eq!(small.into_bytes().await.unwrap(), b"hello world");

        let dir = tempfile::tempdir().unwrap();
        let mut large = Spool::new(16, Some(dir.path().to_owned()));
        let mut expected = Vec::new();
        for i in 0..100u8 {
            let chunk = [i; 7];
            large.write(&chunk).await.unwrap();
            expected.extend_from_slice(&chunk);
        }
        assert!(large.file.is_some());
        assert!(
            large.memory.capacity() <= 16,
            "memory released once spooled"
        );
        assert_eq!(large.len(), 700);
        assert_eq!(large.into_bytes().await.unwrap(), expected);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the spool file has no name"
        );
    }
}
