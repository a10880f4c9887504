"""What plain words cannot say: delivery dates and times, and where an engraving's or a card's text is.

Every pattern runs on the folded note (``orders.notes.reading.fold``: Simplified, NFKC, lower case,
one character for one character), so positions are positions in the note as written.
"""

import re

# Ends a clause: a negation or a text stops here. "." only when a space or the end follows (3.5, e.g).
CLAUSE_END = re.compile(r"[,;!?。…\n]|\.(?=\s|$)")
# Ends a sentence: a text after a colon runs to here.
SENTENCE_END = re.compile(r"[;!?。…\n]|\.(?=\s|$)")

_DAY = (
    r"(?:周[一二三四五六日末天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|工作日|双休日?|节假日|节前|节后"
    r"|今天|明天|后天|这周|下周|本周|月底|月初|月中|年前|元旦|春节|过年|国庆|中秋|圣诞节?|平安夜|情人节|七夕"
    r"|母亲节|父亲节|生日"
    r"|\d{1,2}月\d{1,2}[日号]?|\d{1,2}[日号](?![楼门院线口库仓房室栋单])|[一二三四五六七八九十]{1,3}号(?![楼门院线口库仓房室栋单]))"
)
_TIME = (
    r"(?:上午|下午|中午|晚上|早上|傍晚|白天|夜里|下班|上班"
    r"|(?<![快早好大小多少慢轻差])[0-9一二三四五六七八九十两]{1,3}(?:点|:\d\d)半?)"
)
_CUE = r"(?:送|到|收|派|配送|在家|不在|没人|有人|之前|以前|前|之后|以后|后|左右|以内)"
_CLAUSE_CHAR = r"[^,;!?。…\n]"

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_ENGLISH_WHEN = (
    rf"(?:{_WEEKDAY}s?|weekends?|weekdays?|\d{{1,2}}(?:st|nd|rd|th)|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
    r"|\d{1,2}(?::\d\d)?\s*(?:am|pm)|noon|christmas(?: eve)?|new year|valentine'?s(?: day)?|chinese new year"
    r"|(?:her|his|my|our|their) birthday|the weekend|this week|next week|tomorrow)"
)

DELIVERY_TIME = (
    re.compile(rf"(?:{_DAY}|{_TIME}){_CLAUSE_CHAR}{{0,4}}?{_CUE}"),
    re.compile(rf"\b(?:before|by|after|on|this|next|until|till|around|between|at|for)\s+(?:the\s+)?{_ENGLISH_WHEN}\b"),
    re.compile(r"\b(?:in the|every|on)\s+(?:morning|afternoon|evening)s?\b(?=[^,;!?.\n]*\b(?:deliver|arriv|home))"),
)

# A change of address in the words buyers join freely: 改下地址, 换个收货地址, 更改一下收件地址.
# The address, the phone or the recipient said to be wrong or changing: 地址写成公司的了, 电话号码换了.
_WHERE = r"(?:收货|收件|寄件|送货|配送|邮寄)?地址"
_PHONE = r"(?:电话|手机|联系)(?:号码|号)?|号码"
_CHANGED = r"(?:要|需要|请|麻烦|帮我)?(?:改|换|更改|修改|变更|写错|填错|选错|写成|填成|错了|不对|有误)"
ADDRESS_CHANGE = (
    re.compile(rf"(?:改|换|更改|修改|更换|变更)(?:一下|下|个|一个)?{_WHERE}"),
    re.compile(rf"{_WHERE}{_CLAUSE_CHAR}{{0,2}}?{_CHANGED}"),
    re.compile(rf"(?:{_PHONE}){_CHANGED}"),
    re.compile(r"改(?:寄|发|送)?(?:成|为|到)(?:我)?(?:家里|老家|公司|单位|学校|宿舍|家)"),
    re.compile(r"\b(?:my |the )?address (?:has )?changed\b|\bi(?:'ve| have)? moved\b"),
)

# Wrapping as a gift in the buyer's own order of words: 礼物要包装, 礼品帮忙包一下.
GIFT_WRAP = (re.compile(rf"礼[物品]{_CLAUSE_CHAR}{{0,3}}?包(?:装|一下|好)(?![盒袋箱])"),)

# Quotes around an engraving's or a card's text (ASCII ' only at word edges: not in don't).
QUOTED = re.compile(
    r"「([^」]+)」|『([^』]+)』|“([^”]+)”|‘([^’]+)’|\"([^\"]+)\"|《([^》]+)》|(?<![a-z])'([^']+)'(?![a-z])"
)
# Between a request word and its text: 刻字内容为：…, 贺卡上面写：…, card message: …, a note saying "…".
_LEAD = r"(?:[^;!?。…\n:\"“「『‘《']{0,10}?|[a-z ]{0,24}?)"
COLON_TEXT = re.compile(rf"^{_LEAD}:\s*")
QUOTE_AFTER = re.compile(rf"^{_LEAD}(?=[\"“「『‘《'])")
WRITE_TEXT = re.compile(
    r"^[,\s]*(?:上面|里面|上|里|内)?"
    r"(?:就写|请写|帮忙写|写上|写着|写|内容为|内容是|saying|that says|reading|with the words)\s*"
)
# Letters and digits right after 刻 (刻LOVE, 刻 W&L 520): engravings are often initials and dates.
LATIN_TEXT = re.compile(
    r"^(?:上|个|一下)?(?:英文|拼音)?(?:名字|名|字母|缩写)?\s*([a-z0-9][a-z0-9&+.\-♥❤ ]*[a-z0-9♥❤]|[a-z0-9])(?![a-z0-9])"
)
