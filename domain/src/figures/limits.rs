//! Schools over the dropout limit (一票否决): the limit is a setting per stage, in basis points.

use super::{FigureInputs, PerStage, Period, Ratio, Scope};
use crate::ids::SchoolId;
use crate::org::{SchoolKind, Stage};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One school's dropout rate in one stage against its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolLimit {
    pub school: SchoolId,
    pub stage: Stage,
    /// The school's 辍学率 in this stage, as in [`super::StudentFigures::dropout`].
    pub dropout: Ratio,
    /// `Rules::dropout_limit_bp(stage)` of the school.
    pub limit_bp: u32,
    /// Over the limit: dropouts × 10000 > limit × denominator. A stage with no students is
    /// never over.
    pub over: bool,
}

fn stages_taught(kind: SchoolKind) -> &'static [Stage] {
    match kind {
        SchoolKind::Primary => &[Stage::Primary],
        SchoolKind::Junior => &[Stage::Junior],
        SchoolKind::NineYear => &[Stage::Primary, Stage::Junior],
    }
}

impl FigureInputs<'_> {
    /// For each school in `scope` and each stage it teaches (a 九年一贯制 school has two rows),
    /// its dropout rate over `period` against its limit. Class and grade scopes hold no school.
    pub fn school_limits(&self, scope: &Scope, period: Period, today: NaiveDate) -> Vec<SchoolLimit> {
        let mut rows = Vec::new();
        for school in self.schools_in(scope) {
            let mut dropout = PerStage::<Ratio>::default();
            for (student, own) in self.each_student_dropout(self.students_in(&Scope::School(school.id)), period, today)
            {
                let stage = dropout.get_mut(student.grade.stage());
                *stage = *stage + own;
            }
            let rules = self.rules(school.id);
            for stage in stages_taught(school.kind) {
                let limit_bp = rules.dropout_limit_bp(*stage);
                let dropout = *dropout.get(*stage);
                rows.push(SchoolLimit {
                    school: school.id,
                    stage: *stage,
                    dropout,
                    limit_bp,
                    over: dropout.exceeds_bp(limit_bp),
                });
            }
        }
        rows
    }
}

/// Per stage: school-stages over their limit ÷ school-stages.
pub(super) fn schools_over_limit(rows: &[SchoolLimit]) -> PerStage<Ratio> {
    let mut figures = PerStage::<Ratio>::default();
    for row in rows {
        let stage = figures.get_mut(row.stage);
        *stage = *stage + Ratio::one(row.over);
    }
    figures
}
