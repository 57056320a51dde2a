pub mod backup_reminder;
pub mod checked_save;
pub mod flag_editor;
pub mod nav;
pub mod risk;
pub mod status_form;
pub mod student_form;
pub mod update_banner;
