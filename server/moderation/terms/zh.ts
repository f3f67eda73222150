// Chinese blocklist, written in simplified characters; traditional spellings
// are folded to these by normalize() through ZH_TRADITIONAL_TO_SIMPLIFIED.
// Curated: no single common characters (乳, 奶, 逼, 干, 日, 性 are all
// everyday words), and no anatomical or medical terms.
export const ZH_TERMS: readonly string[] = [
  // insults
  '傻逼', '傻b', '傻比', '煞笔', '屌', '肏', '屄', '鸡巴',
  '操你妈', '操你娘', '操你大爷', '操你祖宗', '草你妈', '日你妈', '干你娘',
  '我操', '卧槽', '他妈的', '你妈的', '妈了个逼', '妈逼', '草泥马', '滚你妈',
  '狗日的', '狗娘养的', '王八蛋', '杂种', '贱人', '贱货', '婊子', '骚货', '骚逼',
  '荡妇', '妓女', '死全家', '去死吧', '脑残', '智障', '弱智', '白痴', '蠢货', '人渣',
  // sexual
  '做爱', '口交', '肛交', '乳交', '性交', '强奸', '轮奸', '鸡奸', '卖淫', '嫖娼',
  '约炮', '黄片', '色情', '三级片', '奶子', '屁眼',
  // slurs
  '支那', '黑鬼', '死基佬', '人妖'
];

// Innocent words that contain a blocked term across a word boundary; they are
// masked before terms are searched ("白色情侣款" is "white couple style", not 色情).
export const ZH_ALLOW: readonly string[] = [
  // 我操 inside 我操作 / 我操心 …
  '操作', '操心', '操练', '操纵', '操场', '操劳', '操守', '操持',
  // 日你妈 inside 生日你妈妈 …
  '生日', '节日', '今日', '明日', '昨日', '每日', '周日',
  // 杂种 in heterosis and mixed-breed pets
  '杂种优势', '杂种狗', '杂种猫',
  // 鸡巴 inside 烤鸡巴西风味 (Brazil)
  '巴西',
  // 做爱 inside 做爱心便当 / 给孩子做爱吃的
  '爱心', '爱吃', '爱喝', '爱玩', '爱用', '爱看', '爱穿',
  // 口交 inside 出口交易 / 领口交叉 …
  '出口', '进口', '入口', '门口', '路口', '港口', '接口', '窗口', '开口', '人口',
  '借口', '户口', '关口', '胃口', '袖口', '领口', '裤口', '封口', '缺口', '插口', '瓶口', '可口',
  // 性交 inside 个性交友 / 女性交流 …
  '个性', '异性', '中性', '弹性', '属性', '特性', '男性', '女性',
  // 色情 inside 白色情侣款 / 颜色情况 …
  '颜色', '特色', '彩色', '情侣', '情况', '情人', '情景',
  // 黄片 inside 姜黄片 (turmeric tablets) …
  '姜黄', '蛋黄', '大黄',
  // 支那 inside 这支那么好用 …
  '那么', '那个', '那种', '那样', '那些', '那里', '那边', '那款', '那件', '那支'
];

// Traditional → simplified, limited to characters used in the two lists above
// (a full converter would need a dictionary; these lists are all we match).
export const ZH_TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = pairs(
  '媽妈 馬马 雞鸡 鷄鸡 筆笔 個个 爺爷 幹干 臥卧 滾滚 養养 雜杂 種种 賤贱 貨货 騷骚 蕩荡 婦妇 ' +
    '腦脑 殘残 癡痴 愛爱 強强 姦奸 輪轮 賣卖 約约 砲炮 黃黄 級级 妳你 場场 練练 縱纵 勞劳 ' +
    '優优 勢势 節节 週周 進进 門门 開开 關关 戶户 領领 褲裤 異异 屬属 彈弹 顏颜 侶侣 況况 ' +
    '薑姜 麼么 樣样 裡里 裏里 邊边'
);

function pairs(spec: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of spec.split(' ')) {
    const [traditional, simplified] = [...pair];
    if (traditional && simplified) map.set(traditional, simplified);
  }
  return map;
}
