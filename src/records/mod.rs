//! Typed records: named, typed views over the rows of a return's tables, grouped by child. Rules
//! read `episode.decom()` (a `Val<NaiveDate>`), never strings by position.
//!
//! A view is a table reference and a row number: nothing is copied. The [`record!`] macro
//! declares one view type per table from its column list, so a new column is one line.

pub mod cin;
pub mod ssda903;

use crate::table::Table;

/// Which return-year a row belongs to: this year's, or the previous year's loaded for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Year {
    This,
    Previous,
}

/// A row of a table of one of the datasets a rule sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowRef {
    pub year: Year,
    /// Index of the table in the dataset's schema.
    pub table: usize,
    pub row: usize,
}

impl RowRef {
    /// A cell of this row.
    pub fn at(self, column: &'static str) -> CellRef {
        CellRef {
            row: self,
            column: Some(column),
        }
    }

    /// The whole row.
    pub fn whole(self) -> CellRef {
        CellRef {
            row: self,
            column: None,
        }
    }
}

/// A cell (or, without a column, a whole row) that a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub row: RowRef,
    pub column: Option<&'static str>,
}

/// Column indices of a view, resolved once per table.
pub trait Columns: Sized {
    fn resolve(table: &Table) -> Self;
}

/// Declares a typed view over a table's rows. Each field names a column and its kind (`date`,
/// `code`, `text`, `integer`, `boolean`); the view gets one accessor per field returning a
/// [`Val`](crate::table::Val), `Blank` when the year's schema has no such column.
#[macro_export]
macro_rules! record {
    (
        $(#[$meta:meta])*
        $view:ident, $columns:ident = $table:literal {
            $( $(#[$field_meta:meta])* $field:ident: $kind:ident = $column:literal ),* $(,)?
        }
    ) => {
        /// Resolved column positions of
        #[doc = concat!("[`", stringify!($view), "`].")]
        #[derive(Debug, Clone)]
        pub struct $columns {
            $( $field: Option<usize>, )*
        }

        impl $crate::records::Columns for $columns {
            fn resolve(table: &$crate::table::Table) -> Self {
                $columns { $( $field: table.column_index($column), )* }
            }
        }

        $(#[$meta])*
        #[derive(Clone, Copy)]
        pub struct $view<'a> {
            table: &'a $crate::table::Table,
            columns: &'a $columns,
            row: $crate::records::RowRef,
        }

        impl<'a> $view<'a> {
            /// The table's name in the schema.
            pub const TABLE: &'static str = $table;

            pub fn new(table: &'a $crate::table::Table, columns: &'a $columns, row: $crate::records::RowRef) -> Self {
                $view { table, columns, row }
            }

            /// Where this row is, for findings.
            pub fn row(&self) -> $crate::records::RowRef {
                self.row
            }

            /// A cell of this row, for findings.
            pub fn at(&self, column: &'static str) -> $crate::records::CellRef {
                debug_assert!(self.table.column_index(column).is_some(), "{} has no column {column}", $table);
                self.row.at(column)
            }

            /// The row's source: file and row as Excel numbers it.
            pub fn source(&self) -> $crate::table::RowSource {
                self.table.source(self.row.row)
            }

            $(
                $(#[$field_meta])*
                #[doc = concat!("`", $column, "`")]
                pub fn $field(&self) -> $crate::record!(@type $kind 'a) {
                    match self.columns.$field {
                        Some(column) => self.table.$kind(column, self.row.row),
                        None => $crate::table::Val::Blank,
                    }
                }
            )*
        }

        impl std::fmt::Debug for $view<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let source = self.source();
                write!(f, "{} row {}", $table, source.line)
            }
        }
    };
    (@type date $lt:lifetime) => { $crate::table::Val<chrono::NaiveDate> };
    (@type code $lt:lifetime) => { $crate::table::Val<&$lt str> };
    (@type text $lt:lifetime) => { $crate::table::Val<&$lt str> };
    (@type integer $lt:lifetime) => { $crate::table::Val<i64> };
    (@type boolean $lt:lifetime) => { $crate::table::Val<bool> };
}
