//! Users, tokens and sessions: stored by digest, scoped to enabled users, revocable.

mod common;

use common::temp_store;
use kontera_store::{Engine, Role, StoreError, UserChange};

fn areas(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

async fn a_user_is_stored_with_sorted_areas_and_no_duplicate_names(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    assert_eq!(store.user_count().await.unwrap(), 0);
    let anna = store
        .add_user(
            "anna",
            Role::Controller,
            Some("$argon2id$x"),
            &areas(&["schools", "care", "schools"]),
            5,
        )
        .await
        .unwrap();
    assert_eq!(anna.areas, areas(&["care", "schools"]));
    assert_eq!(store.user("anna").await.unwrap(), Some(anna.clone()));
    assert_eq!(store.user_count().await.unwrap(), 1);
    assert_eq!(
        store.password_hash("anna").await.unwrap().as_deref(),
        Some("$argon2id$x")
    );
    let again = store.add_user("anna", Role::Admin, None, &[], 6).await;
    assert!(matches!(again, Err(StoreError::UserExists { name }) if name == "anna"));
    assert_eq!(
        store.user("anna").await.unwrap().unwrap().role,
        Role::Controller
    );
    let bad = store.add_user("an na", Role::Admin, None, &[], 6).await;
    assert!(matches!(bad, Err(StoreError::InvalidUser { .. })));
    assert_eq!(store.users().await.unwrap(), vec![anna]);
}

async fn changing_a_user_replaces_areas_and_disabling_ends_sessions(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .add_user("bo", Role::Controller, Some("h1"), &areas(&["care"]), 1)
        .await
        .unwrap();
    store.add_session("s1", "bo", 10, 1_000).await.unwrap();
    let changed = store
        .update_user(
            "bo",
            &UserChange {
                areas: Some(areas(&["schools"])),
                password_hash: Some("h2".to_owned()),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.areas, areas(&["schools"]));
    assert_eq!(
        store.password_hash("bo").await.unwrap().as_deref(),
        Some("h2")
    );
    assert_eq!(
        store.user_by_session("s1", 20).await.unwrap(),
        Some(changed)
    );
    store
        .update_user(
            "bo",
            &UserChange {
                disabled: Some(true),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(store.user_by_session("s1", 20).await.unwrap(), None);
    assert_eq!(store.password_hash("bo").await.unwrap(), None);
    let unknown = store.update_user("nobody", &UserChange::default()).await;
    assert!(matches!(unknown, Err(StoreError::UnknownUser { .. })));
}

async fn tokens_authenticate_until_revoked_and_never_for_a_disabled_user(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .add_user("erp", Role::Integration, None, &[], 1)
        .await
        .unwrap();
    let digest = "ab".repeat(32);
    let info = store.add_token(&digest, "erp", "prod", 2).await.unwrap();
    assert_eq!(info.id, "abababababab");
    assert_eq!(
        store.user_by_token(&digest).await.unwrap().unwrap().name,
        "erp"
    );
    assert_eq!(store.user_by_token(&"cd".repeat(32)).await.unwrap(), None);
    assert_eq!(store.tokens("erp").await.unwrap(), vec![info]);
    assert!(
        !store.revoke_token("erp", "abab").await.unwrap(),
        "too short an id"
    );
    assert!(!store.revoke_token("other", "abababab").await.unwrap());
    assert!(store.revoke_token("erp", "abababab").await.unwrap());
    assert_eq!(store.user_by_token(&digest).await.unwrap(), None);
    assert!(store.tokens("erp").await.unwrap()[0].revoked);

    let second = "ef".repeat(32);
    store.add_token(&second, "erp", "test", 3).await.unwrap();
    store
        .update_user(
            "erp",
            &UserChange {
                disabled: Some(true),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(store.user_by_token(&second).await.unwrap(), None);
    let orphan = store.add_token(&"01".repeat(32), "ghost", "x", 4).await;
    assert!(matches!(orphan, Err(StoreError::UnknownUser { .. })));
}

async fn sessions_expire_and_end(engine: Engine) {
    let (_dir, store) = temp_store(engine).await;
    store
        .add_user("cy", Role::Analyst, Some("h"), &[], 1)
        .await
        .unwrap();
    store.add_session("s1", "cy", 100, 200).await.unwrap();
    assert!(store.user_by_session("s1", 199).await.unwrap().is_some());
    assert_eq!(store.user_by_session("s1", 200).await.unwrap(), None);
    store.add_session("s2", "cy", 100, 300).await.unwrap();
    store.end_session("s2").await.unwrap();
    assert_eq!(store.user_by_session("s2", 150).await.unwrap(), None);
}

kontera_store::on_both_engines!(
    a_user_is_stored_with_sorted_areas_and_no_duplicate_names,
    changing_a_user_replaces_areas_and_disabling_ends_sessions,
    tokens_authenticate_until_revoked_and_never_for_a_disabled_user,
    sessions_expire_and_end,
);
