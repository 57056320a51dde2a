//! The record index (`mutations.defines`, `rejections.defines`): the server fills it on each
//! insert with `RecordRef::key`, and migration 0006 filled it for mutations stored before it,
//! from their JSON bodies in SQL. Both must write the same keys, on SQLite and PostgreSQL, or a
//! database upgraded in place would hold a mark for a child it holds.

mod support;

use baoxue_domain::mutation::DeviceChain;
use baoxue_sync_server::storage::{Database, Storage};
use sqlx::Connection;
use support::*;

/// The `UPDATE` statements of a migration file: its backfill.
fn backfill(migration: &str) -> Vec<String> {
    migration
        .split(';')
        .map(|statement| {
            statement.lines().filter(|line| !line.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n")
        })
        .map(|statement| statement.trim().to_owned())
        .filter(|statement| statement.starts_with("UPDATE"))
        .collect()
}

/// Pushes a roster and a refused student, and answers the school.
async fn filled(database: &Database) -> baoxue_domain::ids::SchoolId {
    let school = school(database, "record index").await;
    let (phone, _) = enrolled_phone(database, school).await;
    let mut chain = DeviceChain::new(phone);
    let baoxue_domain::mutation::Change::PutStudent(mut student) = roster_changes(school).remove(1) else {
        unreachable!()
    };
    student.id = baoxue_domain::ids::StudentId(random_uuid());
    student.address = "村".repeat(100_000);
    let refused = next(&mut chain, school, baoxue_domain::mutation::Change::PutStudent(student), NOW as u64);
    let receipt = database.apply_batch(phone, school, &[refused], NOW).await.unwrap();
    assert_eq!(receipt.rejected.len(), 1, "{receipt:?}");
    school
}

#[tokio::test]
async fn the_migration_writes_the_keys_the_server_writes_on_sqlite() {
    let (database, dir) = fresh_sqlite().await;
    filled(&database).await;
    let url = format!("sqlite://{}", dir.path().join("baoxue.db").display());
    let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let read = "SELECT id || '=' || COALESCE(defines, '') FROM mutations \
                UNION ALL SELECT id || '=' || COALESCE(defines, '') FROM rejections ORDER BY 1";
    let written: Vec<String> = sqlx::query_scalar(read).fetch_all(&mut connection).await.unwrap();
    assert!(written.iter().filter(|row| row.contains("=student:")).count() > ROSTER as usize, "{written:?}");
    sqlx::query("UPDATE mutations SET defines = NULL").execute(&mut connection).await.unwrap();
    sqlx::query("UPDATE rejections SET defines = NULL").execute(&mut connection).await.unwrap();
    for statement in backfill(include_str!("../migrations/sqlite/0006_record_index.sql")) {
        sqlx::query(&statement).execute(&mut connection).await.unwrap();
    }
    let migrated: Vec<String> = sqlx::query_scalar(read).fetch_all(&mut connection).await.unwrap();
    assert_eq!(migrated, written);
}

#[tokio::test]
async fn the_migration_writes_the_keys_the_server_writes_on_postgres() {
    let Some(url) = fresh_postgres_url().await else { return };
    filled(&Database::open(&url).await.unwrap()).await;
    let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
    let read = "SELECT id::text || '=' || COALESCE(defines, '') FROM mutations \
                UNION ALL SELECT id::text || '=' || COALESCE(defines, '') FROM rejections ORDER BY 1";
    let written: Vec<String> = sqlx::query_scalar(read).fetch_all(&mut connection).await.unwrap();
    assert!(written.iter().filter(|row| row.contains("=student:")).count() > ROSTER as usize, "{written:?}");
    sqlx::query("UPDATE mutations SET defines = NULL").execute(&mut connection).await.unwrap();
    sqlx::query("UPDATE rejections SET defines = NULL").execute(&mut connection).await.unwrap();
    for statement in backfill(include_str!("../migrations/postgres/0006_record_index.sql")) {
        sqlx::query(&statement).execute(&mut connection).await.unwrap();
    }
    let migrated: Vec<String> = sqlx::query_scalar(read).fetch_all(&mut connection).await.unwrap();
    assert_eq!(migrated, written);
}
