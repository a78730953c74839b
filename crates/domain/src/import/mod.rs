//! Reading the employee master (社員マスタ) that companies bring from their HR systems:
//! CSV in UTF-8 or Shift_JIS and XLSX ([`table`]), Japanese values ([`values`]), and the
//! columns, validation and records of an employee import ([`employees`]). Pure: bytes in,
//! records or a list of problems out; the store applies them.

pub mod employees;
pub mod export;
pub mod table;
pub mod values;
