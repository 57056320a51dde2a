pub mod flag_editor;
pub mod nav;
pub mod risk;
pub mod student_form;
pub mod update_banner;
