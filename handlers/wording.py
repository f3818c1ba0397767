"""The words people use, in tables: yes and no, quitting, greetings, thanks, questions to us,
corrections. Each table is data; `plain()` makes typed, voice and emoji replies comparable.

Everything here is matched against `plain(text)`: full-width folded, lower case, punctuation,
spaces and emoji skin tones removed, so `好的。`, `好的！` (voice adds a full stop) and `好 的`
are one reply.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

NOISE = re.compile(r"[\s,，.。!！?？、~～…;；:：\"'“”‘’()（）\[\]【】<>《》\-—_·]+|[\ufe0f\U0001F3FB-\U0001F3FF]")

YES = {"是", "是的", "是呀", "对", "对的", "对啊", "对呀", "对对", "对对对", "没错", "对没错",
       "好", "好的", "好啊", "好嘞", "好滴", "可以", "可以的", "行", "行的", "没问题", "嗯",
       "嗯嗯", "确认", "确定", "提交", "确认提交", "就这样", "正确", "ok", "okay", "yes", "y",
       "👍", "👌", "✅", "🆗", "✔"}
YES_RUN = re.compile(r"^(?:是的?|对的?|好的?|行的?|嗯+|可以的?|没问题|没错|确认|确定|提交|ok|okay|"
                     r"👍|👌|✅)+(?:了|吧|啊|呀|哈|嘛|呢|哦|噢)*(?:快点|尽快|谢谢|麻烦了|辛苦了)?$")
NO = {"不是", "不对", "不要", "算了", "错了", "不", "否", "不行", "no", "n", "不是的", "不对的"}
# Ending the report being filled in, whatever step it is at.
QUIT = {"算了不修了", "不修了", "不用修了", "不要了", "不需要了", "不报了", "不报修了", "退出",
        "取消报修", "算了不报了", "不用了谢谢", "不弄了", "算了吧不修了"}
QUITTING = re.compile(r"不用修了?|不修了|不需要修|不报了|不报修了|不要修了|取消报修|没事了|自己(?:弄|修|搞)好了|"
                      r"(?:已经|又|现在)好了|不用了自己|算了不")
GREETINGS = {"你好", "您好", "在吗", "在不在", "有人吗", "有人在吗", "hi", "hello", "哈喽", "嗨",
             "喂", "你好在吗", "您好在吗", "早上好", "下午好", "晚上好"}
EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF]")
THANKS = {"谢谢", "谢谢你", "谢谢您", "感谢", "多谢", "辛苦了", "辛苦", "麻烦了", "谢啦", "谢了",
          "thanks", "thankyou", "3q", "谢谢师傅", "谢谢啦", "好的谢谢", "收到谢谢"}
ACKS = {"收到", "好的", "好", "ok", "嗯", "嗯嗯", "知道了", "明白", "明白了", "了解", "👍", "👌",
        "行", "好嘞"}
# Said where photos used to be asked: nothing to store, nothing misunderstood.
NO_PHOTO = {"跳过", "没有照片", "没照片", "不用照片", "无照片", "不拍了", "没有", "没", "无",
            "不用", "完成", "好了", "下一步", "发完了", "没有了"}
# 报修 and how people mistype or say it; 报事 for matters.
REPORT_ENTRY = re.compile(r"^(?:我要|我想|我想要|想|帮我|请|麻烦|需要)?(?:报修|保修|報修|抱修|包修|报个修|"
                          r"报一下修|报修一下|repair|fix|维修|要维修|申请维修)(?:一下)?"
                          r"|^(?:这里|这儿|在这)?(?:可以|能|能不能)报修(?:吗|不)?", re.I)
# Greetings and courtesies before what is meant: 你好，我要报修 / 在吗？水管坏了.
OPENING = re.compile(r"^(?:(?:你好|您好|在吗|在不在|喂|hi|hello|哈喽|嗨|请问|麻烦(?:你们|您)?|师傅|老师)"
                     r"[\s,，.。!！?？~～]*)+", re.I)
MATTER_ENTRY = re.compile(r"^(?:我要|我想)?(?:报事|報事|反映|反映个事|反映一下)")

# Questions people ask in the middle of a report; the key names the answer template.
QUESTIONS = (
    ("human", re.compile(r"转人工|人工客服|人工服务|找人工|转客服|真人|^人工$|^客服$")),
    ("eta", re.compile(r"(?:多久|多长时间|什么时候|啥时候|几点|何时|多会儿|几时).{0,4}"
                       r"(?:来|到|修|上门|处理|好|能)|要等多久|要多久|今天能来吗?|今天能修吗?")),
    ("charges", re.compile(r"(?:要|收|花|交)(?:钱|费)|免费(?:吗|不|的吗)|多少钱|收费(?:吗|不|标准)?|"
                           r"费用(?:多少|怎么算)")),
    ("phone", re.compile(r"(?:电话|号码|联系方式)(?:是)?多少|客服电话|物业电话|报修电话|值班电话|"
                         r"怎么联系你们|联系方式")),
    ("hours", re.compile(r"(?:几点|什么时候)(?:上班|下班|开门)|工作时间|上班时间|营业时间")),
)
# "不对，是4楼" / "不是 是wifi连不上": a correction; `rest` is the new value.
CORRECTION = re.compile(r"^(?:不对|不是|错了|说错了|写错了|弄错了|搞错了|更正|改一下|纠正)"
                        r"[\s,，。.:：!！]*(?:应该|应当)?(?:是|为|改成|改为|在)?[\s:：]*(?P<rest>.*)$", re.S)
# A correction later in the message: 等下 说错了 不是灯 是插座没电 / 啊不是不是 还是201.
LATE_CORRECTION = re.compile(r"(?:说错了|写错了|弄错了|搞错了|打错了|看错了|不对|不是不是|不是的?)"
                             r"[\s,，。.:：!！]*(?:不是[^是,，。\s]{1,10}[\s,，。]*)?(?:应该|还)?是"
                             r"[\s:：]*(?P<rest>.+)$", re.S)
# "电话写错了 是139…" / "地点改成4楼": a correction naming its field.
FIELD_WORDS = {"phone": "电话|手机|号码|手机号|联系电话", "location": "地点|地址|位置|房间|房号|宿舍号",
               "name": "名字|称呼|姓名", "description": "问题|描述|情况",
               "category": "类别|类型|分类", "unit": "学院|部门|单位|楼栋|房号"}
FIELD_CORRECTION = re.compile(
    r"^(?P<field>" + "|".join(FIELD_WORDS.values()) + r")"
    r"(?:写|填|打|说|输|记|留)?(?:错了|不对|有误)?[\s,，。.:：]*(?:应该|应当)?"
    r"(?:是|为|改成|改为|换成|改一下)[\s:：]*(?P<rest>.+)$", re.S)


def without_opening(text: str) -> str:
    """The message after its greetings (你好，我要报修 → 我要报修)."""
    return OPENING.sub("", text.strip())


def without_emoji(said: str) -> str:
    """A plain text without its emoji (👌收到 → 收到), unless it is nothing but emoji (👍)."""
    rest = EMOJI.sub("", said)
    return rest or said


def is_thanks(text: str) -> bool:
    """谢谢, and 谢谢 with an acknowledgement around it (好的 谢谢啦, 收到谢谢)."""
    said = re.sub(r"[啦啊呀哈了]+$", "", without_emoji(plain(text)))
    if said in THANKS:
        return True
    thanked = re.sub(r"谢谢你?|谢了|感谢|多谢|辛苦了|麻烦了", "", said)
    return thanked != said and (not thanked or thanked in ACKS | YES)


def plain(text: str) -> str:
    """Text as replies are compared: folded, lower case, without punctuation or spaces."""
    return NOISE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def is_yes(text: str) -> bool:
    """是/对/好的/可以/ok/👍/确认 … with any punctuation (voice adds a full stop), repeated
    (好的好的, 是的是的), with a particle (行吧, 确认了) or an urging after it (对 快点)."""
    said = plain(text)
    return said in YES or bool(said) and (set(said) <= set("对是好嗯行") or bool(YES_RUN.match(said)))


def is_no(text: str) -> bool:
    """不是/不对/不要/算了 …"""
    return plain(text) in NO


def is_quit(text: str) -> bool:
    """The reporter gives up the report being filled in: 算了不修了, 不要了, 退出, 没事了 不用修了,
    不用了 自己弄好了 …"""
    said = plain(text)
    return said in QUIT or bool(QUITTING.search(said))


def question_of(text: str) -> Optional[str]:
    """Which of our answers a question asks for (eta, charges, phone, hours, human), if any."""
    said = plain(text)
    return next((key for key, pattern in QUESTIONS if pattern.search(said)), None)


def field_of(word: str) -> Optional[str]:
    """The report field a word names (电话 → phone, 地址 → location …)."""
    return next((field for field, words in FIELD_WORDS.items()
                 if re.fullmatch(words, word)), None)
