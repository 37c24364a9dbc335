// `sqlx::migrate!` embeds the migration files at compile time; a new or
// changed migration alone must rebuild the crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
