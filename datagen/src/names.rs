//! Names as rural China writes them: surnames by how common they are, children's given names
//! of the 2010s with the usual boy/girl tendencies, parents' and grandparents' names of their
//! generations, town and village names, mobile numbers. Every character here is in GBK, so a
//! roster saved the way Excel saves it in China round-trips.

use crate::dice::Dice;
use baoxue_domain::student::Gender;

/// Common surnames, weighted roughly by their share of the population (per 10,000).
pub(crate) const SURNAMES: &[(&str, u32)] = &[
    ("王", 710),
    ("李", 700),
    ("张", 670),
    ("刘", 540),
    ("陈", 450),
    ("杨", 310),
    ("黄", 210),
    ("赵", 200),
    ("吴", 190),
    ("周", 190),
    ("徐", 140),
    ("孙", 140),
    ("马", 130),
    ("朱", 120),
    ("胡", 120),
    ("郭", 110),
    ("何", 110),
    ("林", 100),
    ("高", 100),
    ("罗", 90),
    ("郑", 80),
    ("梁", 80),
    ("谢", 70),
    ("宋", 70),
    ("唐", 70),
    ("许", 60),
    ("韩", 60),
    ("邓", 60),
    ("冯", 60),
    ("曹", 55),
    ("彭", 55),
    ("曾", 53),
    ("肖", 50),
    ("田", 50),
    ("董", 50),
    ("潘", 45),
    ("袁", 45),
    ("蔡", 40),
    ("蒋", 40),
    ("余", 40),
    ("于", 40),
    ("杜", 40),
    ("叶", 38),
    ("程", 38),
    ("魏", 36),
    ("苏", 35),
    ("吕", 35),
    ("丁", 34),
    ("任", 33),
    ("卢", 32),
    ("姚", 30),
    ("沈", 30),
    ("钟", 30),
    ("姜", 30),
    ("崔", 30),
    ("谭", 28),
    ("陆", 28),
    ("范", 26),
    ("汪", 26),
    ("廖", 25),
    ("石", 25),
    ("金", 24),
    ("韦", 24),
    ("贾", 23),
    ("夏", 22),
    ("付", 22),
    ("方", 21),
    ("邹", 20),
    ("熊", 20),
    ("白", 20),
    ("孟", 20),
    ("秦", 19),
    ("邱", 19),
    ("侯", 18),
    ("江", 18),
    ("尹", 17),
    ("薛", 17),
    ("闫", 17),
    ("段", 16),
    ("雷", 16),
    ("龙", 15),
    ("黎", 15),
    ("史", 15),
    ("陶", 15),
    ("贺", 14),
    ("毛", 14),
    ("郝", 14),
    ("顾", 13),
    ("龚", 13),
    ("邵", 13),
    ("万", 12),
    ("覃", 12),
    ("武", 12),
    ("钱", 12),
    ("戴", 12),
    ("严", 11),
    ("莫", 11),
    ("孔", 11),
    ("向", 11),
    ("常", 10),
];

const BOY_CHARS: &[&str] = &[
    "浩", "宇", "轩", "俊", "杰", "泽", "博", "文", "涛", "磊", "鹏", "辉", "强", "明", "豪", "晨", "睿", "航", "阳",
    "鑫", "然", "皓", "天", "铭", "宸", "逸", "瑞", "凯", "锦", "熙", "彬", "伟", "翔", "斌", "帅", "龙", "飞", "志",
    "勇", "毅", "哲", "成", "旭", "诚", "奕", "煜", "昊", "霖", "坤", "健", "城",
];
const GIRL_CHARS: &[&str] = &[
    "欣", "怡", "涵", "萱", "雨", "诗", "梦", "婷", "雪", "琪", "佳", "悦", "可", "馨", "妍", "彤", "颖", "静", "雅",
    "思", "晴", "蕊", "菲", "瑶", "琳", "倩", "娜", "丽", "芳", "慧", "敏", "月", "玉", "婉", "紫", "冰", "露", "兰",
    "甜", "蓉", "娟", "洁", "茜", "媛",
];
/// First characters given to either.
const EITHER_CHARS: &[&str] = &[
    "子", "梓", "雨", "思", "一", "嘉", "欣", "佳", "语", "若", "晨", "宇", "俊", "家", "文", "明", "心", "安", "浩",
    "紫", "诗", "梦", "雅", "可", "书", "亦", "晓", "春", "秋", "海",
];
/// Girls' names that double a character (婷婷, 欣欣).
const GIRL_DOUBLED: &[&str] = &["婷", "欣", "佳", "悦", "琪", "甜", "丹", "玲", "萌", "媛"];

const FATHER_NAMES: &[&str] = &[
    "建国", "建华", "国华", "志强", "志明", "海军", "红军", "军", "伟", "勇", "平", "强", "刚", "斌", "波", "杰", "涛",
    "明", "辉", "华", "林", "峰", "鹏", "超", "建军", "建平", "小龙", "永红", "卫东", "文华", "春生", "海波", "国强",
    "学军", "金山", "长江", "玉林", "德军", "小军", "新华", "云峰", "继承",
];
const MOTHER_NAMES: &[&str] = &[
    "秀英", "桂英", "秀兰", "玉兰", "桂芳", "丽", "芳", "红梅", "春花", "小红", "燕", "霞", "娟", "艳", "丽华", "美玲",
    "海燕", "金凤", "翠花", "玉梅", "春燕", "雪梅", "晓燕", "丽娟", "小芳", "桂兰", "小梅", "红霞", "素芬", "爱萍",
];
const GRANDFATHER_NAMES: &[&str] = &[
    "德福", "有才", "福贵", "长生", "金生", "万福", "永福", "德才", "树林", "春林", "德明", "国庆", "满仓", "守仁",
    "富贵", "水生", "庆华", "福生",
];
const GRANDMOTHER_NAMES: &[&str] = &[
    "秀英", "桂英", "玉珍", "秀珍", "桂兰", "翠英", "凤英", "秀芝", "玉兰", "淑珍", "金莲", "月娥", "桂香", "菊花",
    "三妹",
];

/// A child's given name: mostly two characters, sometimes one.
pub(crate) fn child_given_name(dice: &mut Dice, gender: Gender) -> String {
    let own = match gender {
        Gender::Male => BOY_CHARS,
        Gender::Female => GIRL_CHARS,
    };
    if dice.chance(0.14) {
        return (*dice.pick(own)).to_owned();
    }
    if gender == Gender::Female && dice.chance(0.04) {
        let doubled = *dice.pick(GIRL_DOUBLED);
        return format!("{doubled}{doubled}");
    }
    let first = if dice.chance(0.35) { *dice.pick(EITHER_CHARS) } else { *dice.pick(own) };
    let mut second = *dice.pick(own);
    while second == first {
        second = *dice.pick(own);
    }
    format!("{first}{second}")
}

pub(crate) fn surname(dice: &mut Dice) -> &'static str {
    dice.weighted::<&str>(SURNAMES)
}

pub(crate) fn father_name(dice: &mut Dice, surname: &str) -> String {
    format!("{surname}{}", dice.pick(FATHER_NAMES))
}

pub(crate) fn mother_name(dice: &mut Dice) -> String {
    format!("{}{}", surname(dice), dice.pick(MOTHER_NAMES))
}

pub(crate) fn grandparent_name(dice: &mut Dice, surname: &str, gender: Gender) -> String {
    match gender {
        Gender::Male => format!("{surname}{}", dice.pick(GRANDFATHER_NAMES)),
        Gender::Female => format!("{}{}", self::surname(dice), dice.pick(GRANDMOTHER_NAMES)),
    }
}

/// A teacher's or an official's name: an adult of the parents' generation.
pub(crate) fn adult_name(dice: &mut Dice) -> String {
    let family = surname(dice);
    if dice.chance(0.5) {
        format!("{family}{}", dice.pick(FATHER_NAMES))
    } else {
        format!("{family}{}", dice.pick(MOTHER_NAMES))
    }
}

/// Rural counties with their 6-digit area codes (GB/T 2260), the first six digits of a child's
/// 身份证 number when born there.
pub(crate) const COUNTIES: &[(&str, &str)] = &[
    ("隆回县", "430524"),
    ("新化县", "431322"),
    ("镇雄县", "530627"),
    ("会泽县", "530326"),
    ("岷县", "621126"),
    ("通渭县", "621121"),
    ("凌云县", "451027"),
    ("昭觉县", "513431"),
    ("沈丘县", "411624"),
    ("郸城县", "411625"),
    ("宿松县", "340826"),
    ("临泉县", "341221"),
    ("于都县", "360731"),
    ("兴国县", "360732"),
    ("丹凤县", "611022"),
    ("紫阳县", "610924"),
];

/// Where migrant parents work, with the area code a child born there carries.
pub(crate) const WORK_PLACES: &[(&str, &str)] = &[
    ("广东东莞", "441900"),
    ("广东深圳", "440306"),
    ("浙江义乌", "330782"),
    ("浙江宁波", "330212"),
    ("福建晋江", "350582"),
    ("江苏昆山", "320583"),
    ("上海", "310112"),
    ("广东佛山", "440606"),
];

const TOWN_FIRST: &[&str] = &[
    "石", "大", "龙", "新", "白", "金", "高", "黄", "凤", "马", "青", "桃", "柳", "长", "太", "平", "安", "永", "兴",
    "双", "三", "东", "西", "南", "北", "云", "清", "花", "罗", "麻", "羊", "鹤", "梅", "荷", "岩", "官",
];
const TOWN_SECOND: &[&str] = &[
    "桥", "坪", "江", "田", "河", "山", "溪", "口", "塘", "市", "岩", "坝", "场", "岭", "庄", "源", "湾", "铺", "集",
    "水", "阳", "丰", "林", "洞",
];

const VILLAGE_FIRST: &[&str] = &[
    "石", "大", "小", "高", "新", "黄", "白", "长", "桃", "枫", "水", "岩", "上", "下", "青", "金", "马", "龙", "凤",
    "杨家", "李家", "王家", "张家", "刘家", "陈家", "赵家", "周家", "红", "东", "西", "南", "北", "竹", "松", "柏",
    "茶", "梨", "杉", "田", "老", "中",
];
const VILLAGE_SECOND: &[&str] = &[
    "门", "坪", "潭", "桥", "田", "沙", "坡", "花", "木", "口", "头", "寨", "山", "竹", "塘", "湾", "冲", "岭", "坳",
    "溪", "铺", "坝", "园", "林", "湖", "庄",
];

/// A town name not in `taken`: 镇 mostly, some 乡.
pub(crate) fn town_name(dice: &mut Dice, taken: &[String]) -> String {
    loop {
        let suffix = if dice.chance(0.7) { "镇" } else { "乡" };
        let name = format!("{}{}{suffix}", dice.pick(TOWN_FIRST), dice.pick(TOWN_SECOND));
        if !taken.contains(&name) {
            return name;
        }
    }
}

/// A village (村, sometimes 屯) name not in `taken`.
pub(crate) fn village_name(dice: &mut Dice, taken: &[String]) -> String {
    loop {
        let suffix = if dice.chance(0.9) { "村" } else { "屯" };
        let name = format!("{}{}{suffix}", dice.pick(VILLAGE_FIRST), dice.pick(VILLAGE_SECOND));
        if !taken.contains(&name) {
            return name;
        }
    }
}

/// The surname a village's clan carries, if its name holds one (杨家坪村 → 杨).
pub(crate) fn clan_of(village: &str) -> Option<&'static str> {
    SURNAMES.iter().map(|(surname, _)| *surname).find(|surname| village.starts_with(&format!("{surname}家")))
}

const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187",
    "188", "189", "191", "198", "199",
];

/// An 11-digit mainland mobile number.
pub(crate) fn phone(dice: &mut Dice) -> String {
    format!("{}{:08}", dice.pick(PHONE_PREFIXES), dice.below(100_000_000))
}

/// 一 to 九, for grade names.
pub(crate) fn grade_word(grade: u8) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(usize::from(grade).saturating_sub(1))
        .copied()
        .unwrap_or("十")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dice::Part;

    #[test]
    fn names_are_two_or_three_characters() {
        let mut dice = Dice::new(3, Part::People, 0);
        for index in 0..2_000 {
            let gender = if index % 2 == 0 { Gender::Male } else { Gender::Female };
            let name = format!("{}{}", surname(&mut dice), child_given_name(&mut dice, gender));
            assert!((2..=3).contains(&name.chars().count()), "{name}");
        }
        assert_eq!(clan_of("杨家坪村"), Some("杨"));
        assert_eq!(clan_of("石门村"), None);
        assert_eq!(phone(&mut dice).len(), 11);
    }
}
