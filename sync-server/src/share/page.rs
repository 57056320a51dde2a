//! The shared view as one page, drawn by the server: a supervisor downloads no app code, only
//! this page, its small stylesheet and one small script that keeps the page for offline use
//! (nothing is worked out in the browser; the charts are SVG drawn here). Chinese by default,
//! English with `?lang=en`; every word on it comes from [`text`].

use super::beijing_time;
use super::figures::ShareView;
use super::links::Closed;
use baoxue_domain::campaign::Series;
use baoxue_domain::disclosure::SMALLEST_SHOWN;
use baoxue_domain::figures::Ratio;
use baoxue_domain::supervision::{Measure, Shown, SupervisorView, ViewRow};
use std::fmt::Write;

/// The page's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `?lang=en` asks for English; anything else is Chinese.
    pub fn from_query(query: Option<&str>) -> Lang {
        let english = query.is_some_and(|query| query.split('&').any(|pair| pair == "lang=en"));
        if english {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// Every word of the page, in both languages.
#[derive(Clone, Copy, Debug)]
pub enum Text {
    Title,
    Term,
    Taken,
    Expires,
    Masked,
    HiddenRate,
    MaskedNote,
    Total,
    Schools,
    Reported,
    LastSynced,
    Never,
    NotReported,
    AllReported,
    Enrolled,
    Dropout,
    Returned,
    Attendance,
    Chronic,
    Risk,
    Cases,
    WithoutDropout,
    OverLimit,
    Consolidation,
    Visits,
    TeachersOnQuota,
    RecordKeeping,
    NoResidentList,
    Other,
    Download,
    Unit,
    CampaignTitle,
    ByWeek,
    ByMonth,
    Month,
    Found,
    CasesOpened,
    Notices,
    BackInSchool,
    NoCampaign,
    ClosedTitle,
    Unknown,
    Revoked,
    Expired,
}

pub fn text(lang: Lang, key: Text) -> &'static str {
    let (zh, en) = match key {
        Text::Title => ("控辍保学 汇总", "Keeping children in school: summary"),
        Text::Term => ("学期", "Term"),
        Text::Taken => ("数据时间", "Figures as of"),
        Text::Expires => ("链接有效期至", "Link works until"),
        Text::Masked => ("<5", "<5"),
        Text::HiddenRate => ("不显示", "hidden"),
        Text::MaskedNote => (
            "为保护学生隐私，1–4 的人数显示为“<5”；能由合计、上一级的数字或其他周、月推算出它们的数字也一并显示为“<5”，在各级的分享链接里都一样；分子被隐去的比率也不显示。此页只有汇总数字，没有任何学生的姓名或信息。",
            "To protect the children, counts from 1 to 4 show as \"<5\", and so does any count that would give one away through a total, the level above, or another week or month, alike in every shared link; a rate whose count is hidden is not shown. This page holds totals only, never a child's name or details.",
        ),
        Text::Total => ("合计", "Total"),
        Text::Schools => ("学校数", "Schools"),
        Text::Reported => ("本周已报送", "Reported this week"),
        Text::LastSynced => ("最近同步", "Last synced"),
        Text::Never => ("从未", "never"),
        Text::NotReported => ("本周未报送的学校", "Schools that have not reported this week"),
        Text::AllReported => ("本周各校均已报送。", "Every school has reported this week."),
        Text::Enrolled => ("在籍学生（本学期）", "On the roll this term"),
        Text::Dropout => ("辍学率（辍学 / 在籍）", "Dropout rate (dropouts / on the roll)"),
        Text::Returned => ("劝返复学率（复学 / 辍学）", "Return rate (returned / dropouts)"),
        Text::Attendance => ("出勤率（出勤人天 / 应出勤人天）", "Attendance (days present / days recorded)"),
        Text::Chronic => ("长期缺勤（缺勤≥10% / 在籍）", "Chronic absence (missed ≥10% / on the roll)"),
        Text::Risk => ("辍学风险 高 / 中 / 低", "At risk: high / medium / low"),
        Text::Cases => ("劝返案件 在办 / 逾期", "Return cases: open / overdue"),
        Text::WithoutDropout => ("无辍学班（班级）", "Classes without a dropout"),
        Text::OverLimit => ("超过辍学率控制线（学段）", "Over the dropout limit (school stages)"),
        Text::Consolidation => ("义务教育巩固率（在校 / 适龄）", "Consolidation (in school / of age)"),
        Text::Visits => ("班主任家访（计入定额 / 定额）", "Head teachers' home visits (toward the quota / quota)"),
        Text::TeachersOnQuota => ("完成家访定额的班主任", "Head teachers who met their visit quota"),
        Text::RecordKeeping => (
            "本学期记录：事后补录 / 删除 / 手机链条中断",
            "Records this term: entered late / removed / phones with a broken chain",
        ),
        Text::NoResidentList => ("未导入户籍名单", "no resident list yet"),
        Text::Other => ("English", "中文"),
        Text::Download => ("下载表格（XLSX）", "Download the table (XLSX)"),
        Text::Unit => ("单位", "Unit"),
        Text::CampaignTitle => ("劝返工作进展", "The campaign's progress"),
        Text::ByWeek => (
            "按周（每周一起；跨月的一周分在两个月里）",
            "By week (from each Monday; a week across a month's end in two parts)",
        ),
        Text::ByMonth => ("按月", "By month"),
        Text::Month => ("月份", "Month"),
        Text::Found => ("发现辍学", "Found out of school"),
        Text::CasesOpened => ("劝返立案", "Cases opened"),
        Text::Notices => ("发出通知书", "Notices issued"),
        Text::BackInSchool => ("复学", "Back in school"),
        Text::NoCampaign => ("本学期还没有记录。", "Nothing recorded this term yet."),
        Text::ClosedTitle => ("无法打开此链接", "This link does not open"),
        Text::Unknown => ("此链接无效：请检查是否复制完整，或向分享人索取新链接。", "This link is not known: check that it was copied whole, or ask for a new one."),
        Text::Revoked => ("此链接已被分享人撤销，请向其索取新链接。", "This link was revoked by whoever shared it; ask them for a new one."),
        Text::Expired => ("此链接已过期，请向分享人索取新链接。", "This link has expired; ask whoever shared it for a new one."),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The page's one script, served at `/share/register.js`: it registers [`SERVICE_WORKER`] and
/// keeps the page already shown (its own HTML, not fetched a second time) and its stylesheet
/// for offline use. No figure is worked out in the browser.
pub const REGISTER: &str = "if ('serviceWorker' in navigator && window.caches) {\n\
  const page = new Response('<!doctype html>' + document.documentElement.outerHTML,\n\
    { headers: { 'Content-Type': 'text/html; charset=utf-8' } });\n\
  navigator.serviceWorker.register('/share/sw.js', { scope: '/share/' })\n\
    .then(() => caches.open('baoxue-share-v1'))\n\
    .then((cache) => Promise.all([cache.put(location.pathname + location.search, page), cache.add('/share/style.css')]))\n\
    .catch(() => {});\n\
}\n";

/// The supervisor's offline copy (`/share/sw.js`, scope `/share/`): a link's page is fetched
/// from the server when there is signal and kept; without signal the kept copy is shown, with
/// the time its figures were taken printed on it. A link the server says is revoked or expired
/// (or unknown) loses its kept copy.
pub const SERVICE_WORKER: &str = "const CACHE = 'baoxue-share-v1';\n\
self.addEventListener('install', () => self.skipWaiting());\n\
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));\n\
self.addEventListener('fetch', (event) => {\n\
  const url = new URL(event.request.url);\n\
  if (event.request.method !== 'GET' || url.origin !== location.origin || !url.pathname.startsWith('/share/')) return;\n\
  event.respondWith(fetch(event.request).then((response) => {\n\
    if (response.ok) {\n\
      const copy = response.clone();\n\
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));\n\
    } else if (response.status === 404 || response.status === 410) {\n\
      event.waitUntil(caches.open(CACHE).then((cache) => cache.delete(event.request)));\n\
    }\n\
    return response;\n\
  }, () => caches.match(event.request).then((kept) => kept || Response.error())));\n\
});\n";

/// The stylesheet, served at `/share/style.css`.
pub const STYLE: &str = "body{font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;margin:0;padding:12px;color:#111;background:#fff;line-height:1.5;font-size:16px}\
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:0 0 6px}p{margin:4px 0}\
.muted{color:#444;font-size:14px}.unit{border:1px solid #bbb;border-radius:8px;padding:10px;margin:10px 0}\
.unit.total{border:2px solid #111}.unit.sub{margin-left:16px}dl{margin:0}dl div{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 12px;padding:2px 0}\
dt{color:#333}dd{margin:0 0 0 auto;text-align:right;font-variant-numeric:tabular-nums;font-weight:600}\
.flag{color:#a00000}figure{margin:8px 0}figcaption{font-size:14px}svg{width:100%;height:64px;display:block;border-bottom:1px solid #888}\
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #bbb;padding:4px;text-align:right}th:first-child,td:first-child{text-align:left}a{color:#0645ad;display:inline-block;min-height:44px;line-height:44px}";

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn head(lang: Lang, title: &str) -> String {
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">\
         <meta name=\"description\" content=\"{title}\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/share/style.css\">\
         <script src=\"/share/register.js\" defer></script></head><body><main>",
        title = esc(title)
    )
}

fn count(shown: Option<&Shown>, lang: Lang) -> String {
    match shown {
        Some(Shown::Count(count)) => count.to_string(),
        Some(Shown::Masked) | None => text(lang, Text::Masked).to_owned(),
    }
}

/// A rate with its numerator and denominator, "2.33%（7/300）"; "不显示（<5/30）" when either is
/// masked: a rate of a masked count could give it away.
fn rate(row: &ViewRow, numerator: Measure, denominator: Measure, lang: Lang) -> String {
    match row.rate(numerator, denominator) {
        Some(Ratio { denominator: 0, .. }) => "—".to_owned(),
        Some(ratio) => {
            let percent = ratio.numerator as f64 * 100.0 / ratio.denominator as f64;
            format!("{percent:.2}%（{}/{}）", ratio.numerator, ratio.denominator)
        }
        None => format!(
            "{}（{}/{}）",
            text(lang, Text::HiddenRate),
            count(row.counts.get(&numerator), lang),
            count(row.counts.get(&denominator), lang)
        ),
    }
}

fn unit_card(out: &mut String, row: &ViewRow, lang: Lang, total: bool) {
    // A class follows its grade, set in under it.
    let class = if total {
        "unit total"
    } else if row.depth > 0 {
        "unit sub"
    } else {
        "unit"
    };
    let over = row.counts.get(&Measure::StagesOverLimit).and_then(|shown| shown.count()).unwrap_or(0) > 0;
    let _ = write!(out, "<section class=\"{class}\"><h2>{}", esc(&row.name));
    if over {
        let _ = write!(out, " <span class=\"flag\">⚠</span>");
    }
    out.push_str("</h2><dl>");
    for (label, value) in card_lines(row, lang) {
        // A value too long for the line beside its label goes under it, to the right.
        let _ = write!(out, "<div><dt>{}</dt><dd>{}</dd></div>", text(lang, label), esc(&value));
    }
    out.push_str("</dl></section>");
}

/// A unit's figures as the page and the spreadsheet show them: each label with its value.
pub fn card_lines(row: &ViewRow, lang: Lang) -> Vec<(Text, String)> {
    let c = |measure: Measure| count(row.counts.get(&measure), lang);
    let last = row.last_synced_ms.map_or_else(|| text(lang, Text::Never).to_owned(), beijing_time);
    let consolidation = if row.counts.get(&Measure::Residents) == Some(&Shown::Count(0)) {
        text(lang, Text::NoResidentList).to_owned()
    } else {
        rate(row, Measure::ResidentsOnRoll, Measure::Residents, lang)
    };
    vec![
        (Text::Schools, row.schools.to_string()),
        (Text::Reported, row.reported_this_week.to_string()),
        (Text::LastSynced, last),
        (Text::Enrolled, c(Measure::Enrolled)),
        (Text::Dropout, rate(row, Measure::Dropouts, Measure::Enrolled, lang)),
        (Text::Returned, rate(row, Measure::Returned, Measure::WereOut, lang)),
        (Text::Attendance, rate(row, Measure::DaysPresent, Measure::DaysRecorded, lang)),
        (Text::Chronic, rate(row, Measure::ChronicAbsent, Measure::OnRollNow, lang)),
        (Text::Risk, format!("{} / {} / {}", c(Measure::HighRisk), c(Measure::MediumRisk), c(Measure::LowRisk))),
        (Text::Cases, format!("{} / {}", c(Measure::OpenCases), c(Measure::OverdueCases))),
        (Text::WithoutDropout, rate(row, Measure::ClassesWithoutDropout, Measure::Classes, lang)),
        (Text::Visits, rate(row, Measure::VisitsTowardQuota, Measure::VisitQuota, lang)),
        (Text::TeachersOnQuota, rate(row, Measure::TeachersOnQuota, Measure::TeachersWithQuota, lang)),
        (Text::OverLimit, rate(row, Measure::StagesOverLimit, Measure::Stages, lang)),
        (Text::Consolidation, consolidation),
        (
            Text::RecordKeeping,
            format!("{} / {} / {}", c(Measure::EnteredLate), c(Measure::Removed), c(Measure::ChainBreaks)),
        ),
    ]
}

/// The page of a view. `path` is the link's own path, for the language switch.
pub fn view_page(share: &ShareView, lang: Lang, path: &str) -> String {
    let view = &share.view;
    let mut out = head(lang, &format!("{} · {}", view.unit, text(lang, Text::Title)));
    let other = if lang == Lang::Zh { format!("{path}?lang=en") } else { path.to_owned() };
    let sheet = if lang == Lang::Zh { format!("{path}/xlsx") } else { format!("{path}/xlsx?lang=en") };
    let _ = write!(
        out,
        "<h1>{}</h1><p class=\"muted\">{}</p><p class=\"muted\">{}：{} · {}：{} · {}：{}</p><p><a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p>",
        esc(&view.unit),
        text(lang, Text::Title),
        text(lang, Text::Term),
        esc(&view.term),
        text(lang, Text::Taken),
        beijing_time(view.taken_ms),
        text(lang, Text::Expires),
        beijing_time(share.expires_ms),
        esc(&other),
        text(lang, Text::Other),
        esc(&sheet),
        text(lang, Text::Download),
    );
    unit_card(&mut out, &view.total, lang, true);
    for row in &view.rows {
        unit_card(&mut out, row, lang, false);
    }
    campaign_section(&mut out, view, lang);
    let _ = write!(out, "<h2>{}</h2>", text(lang, Text::NotReported));
    if share.not_reported.is_empty() {
        let _ = write!(out, "<p>{}</p>", text(lang, Text::AllReported));
    } else {
        out.push_str("<ul>");
        for name in &share.not_reported {
            let _ = write!(out, "<li>{}</li>", esc(name));
        }
        out.push_str("</ul>");
    }
    let _ = write!(out, "<p class=\"muted\">{}</p></main></body></html>", esc(text(lang, Text::MaskedNote)));
    out
}

pub fn series_name(series: Series) -> Text {
    match series {
        Series::Found => Text::Found,
        Series::CasesOpened => Text::CasesOpened,
        Series::Notices => Text::Notices,
        Series::Returned => Text::BackInSchool,
    }
}

/// The campaign: a bar chart per series, week by week (a masked week drawn as a low grey bar,
/// "<5"), and the months as a table.
fn campaign_section(out: &mut String, view: &SupervisorView, lang: Lang) {
    let _ = write!(out, "<section class=\"campaign\"><h2>{}</h2>", text(lang, Text::CampaignTitle));
    if view.weekly.is_empty() {
        let _ = write!(out, "<p class=\"muted\">{}</p></section>", text(lang, Text::NoCampaign));
        return;
    }
    let _ = write!(out, "<h3>{}</h3>", text(lang, Text::ByWeek));
    for series in Series::ALL {
        let values: Vec<Option<u64>> =
            view.weekly.iter().map(|(_, values)| values.get(&series).and_then(|shown| shown.count())).collect();
        let highest = values.iter().flatten().copied().max().unwrap_or(0).max(SMALLEST_SHOWN);
        let name = text(lang, series_name(series));
        let described: Vec<String> = view
            .weekly
            .iter()
            .zip(&values)
            .map(|((from, _), value)| {
                format!(
                    "{}: {}",
                    from.format("%m-%d"),
                    value.map_or_else(|| text(lang, Text::Masked).to_owned(), |v| v.to_string())
                )
            })
            .collect();
        let (width, height) = (320.0_f64, 64.0_f64);
        let step = width / values.len() as f64;
        let _ = write!(
            out,
            "<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
            esc(name),
            esc(&format!("{name}: {}", described.join(", ")))
        );
        for (index, value) in values.iter().enumerate() {
            // A masked week is drawn at half the smallest count shown: there is something.
            let (count, fill) = match value {
                Some(count) => (*count as f64, "#0b5d3b"),
                None => (SMALLEST_SHOWN as f64 / 2.0, "#9a9a9a"),
            };
            let bar = (count / highest as f64 * (height - 4.0)).max(if count > 0.0 { 2.0 } else { 0.0 });
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"{fill}\"></rect>",
                index as f64 * step + 1.0,
                height - bar,
                (step - 2.0).max(1.0)
            );
        }
        out.push_str("</svg></figure>");
    }
    let _ = write!(out, "<h3>{}</h3><table><thead><tr><th>{}</th>", text(lang, Text::ByMonth), text(lang, Text::Month));
    for series in Series::ALL {
        let _ = write!(out, "<th>{}</th>", text(lang, series_name(series)));
    }
    out.push_str("</tr></thead><tbody>");
    for (from, values) in &view.monthly {
        let _ = write!(out, "<tr><td>{}</td>", from.format("%Y-%m"));
        for series in Series::ALL {
            let _ = write!(out, "<td>{}</td>", esc(&count(values.get(&series), lang)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></section>");
}

/// The page of a link that opens nothing, saying why.
pub fn closed_page(closed: Closed, lang: Lang) -> String {
    let why = match closed {
        Closed::Unknown => Text::Unknown,
        Closed::Revoked => Text::Revoked,
        Closed::Expired => Text::Expired,
    };
    let mut out = head(lang, text(lang, Text::ClosedTitle));
    let _ = write!(
        out,
        "<h1>{}</h1><p data-closed=\"{closed:?}\">{}</p></main></body></html>",
        text(lang, Text::ClosedTitle),
        text(lang, why)
    );
    out
}

/// The page of a link that could not be opened for another reason (too many requests, the
/// database not answering): `message` says what to do.
pub fn error_page(message: &str, lang: Lang) -> String {
    let mut out = head(lang, text(lang, Text::ClosedTitle));
    let _ = write!(out, "<h1>{}</h1><p>{}</p></main></body></html>", text(lang, Text::ClosedTitle), esc(message));
    out
}
