import { describe, expect, it } from 'vitest';
import { WordFilter, defaultWordFilter, type FilterLang } from './word-filter.ts';
import { ZH_TERMS, ZH_TRADITIONAL_TO_SIMPLIFIED } from './terms/zh.ts';

const filter = defaultWordFilter();

function blockedAs(text: string, lang: FilterLang): boolean {
  const result = filter.check(text);
  return !result.ok && result.matches.some((m) => m.lang === lang);
}

describe('English', () => {
  const abusive = [
    'fuck you',
    'F U C K this stream',
    'f.u.c.k off',
    'f-u-c-k',
    'f_u_c_k',
    'f . u . c . k',
    'fu ck',
    'fuuuuuck this',
    'what the FUUUCK',
    'ｆｕｃｋ',
    '𝐟𝐮𝐜𝐤',
    'fu\u200Bck',
    'f\u200Du\u200Dc\u200Dk',
    'f\u00ADuck',
    'fück',
    'f*ck',
    'f/u/c/k',
    'f🍑u🍑c🍑k',
    'ꜰᴜᴄᴋ', // small capitals
    '🅵🆄🅲🅺',
    'f̶u̶c̶k̶', // strike-through marks
    'mother f u c k e r',
    'this is sh1t',
    '$hit product',
    'sh!t',
    'ѕhіt', // Cyrillic ѕ and і
    'you are a b1tch',
    'b!tch',
    'аsshole', // Cyrillic а
    'a$$hole',
    'c u n t',
    'what a cunt',
    'motherfucker',
    'dickhead',
    'you whore',
    'slut',
    'p0rn',
    'c0ck',
    'bullshit',
    'n1gger'
  ];
  it.each(abusive)('blocks %j', (text) => expect(blockedAs(text, 'en')).toBe(true));

  const ordinary = [
    'Is this lotion good for dry skin?',
    'Does the shirt have a breast pocket?',
    'How long does shipping to Scunthorpe take?',
    'Do you ship to Essex and Sussex?',
    'Love this cocktail dress in navy!',
    'The skin assessment quiz says I am combination type.',
    'Can I get the assorted colours pack?',
    'What size should I get? I am usually a medium.',
    'Sizes S M L XL available?',
    'Is it 100% cotton or a cotton blend?',
    'How much is shipping to Middlesex?',
    'The bundle is 455 dollars, right?',
    'Is the glass bottle recyclable?',
    'Does the bass come through on these headphones?',
    'I bought the Dickies work pants last week.',
    'Add a pinch of cumin to the spice set',
    'Cold-pressed rapeseed oil, 500 ml',
    'Is the fabric flame retardant?',
    'Shiitake mushroom powder in stock?',
    'Can you show the analog watch again?',
    'The analysis report came with the serum.',
    'Which class of shipping is this?',
    'Great title for the show!',
    'The pen is mightier than the sword, nice engraving',
    'Kung fu panda plush please',
    'Peacock blue or cockatoo white?',
    'Badminton shuttlecock set for kids',
    'Is this massage gun quiet?',
    'Passion fruit flavour lip balm',
    'My therapist recommended this weighted blanket.',
    'Grapes and bananas print scarf',
    'Can you do a discount on 3 items?',
    'Does the T-shirt shrink in the wash?',
    'Cucumber eye gel, how many grams?',
    'Arsenal home kit 2024, size M?',
    'Cocker spaniel collar in red',
    'The hoodie has a kangaroo pocket',
    'Is the cummerbund included with the tux?',
    'When will the cockpit model kit be back?',
    'I need an XXL in black please',
    'Will the colour fade after washing?',
    'Check out the button details on the sleeve',
    'Negroni glass set of four',
    'Scrap fabric bundle for quilting',
    "Who're the models wearing it?",
    'Fits true to size, the waist is 32 inches',
    'Is this a cocktail ring or an everyday ring?',
    'Do you have cup sizes A B C D?',
    "I'm a size 8, it's a good fit",
    'Sell it as is, 5.55 shipping'
  ];
  it.each(ordinary)('passes %j', (text) => expect(filter.check(text)).toEqual({ ok: true }));
});

describe('Korean', () => {
  const abusive = [
    '씨발',
    '씨발 비싸네',
    '씨 발',
    '씨.발',
    '씨~발',
    '씨@발',
    '씨\u200B발',
    '씨\u3164발', // Hangul filler
    'ㅅㅂ',
    'ㅅ ㅂ',
    '\uFFB5\uFFB2', // half-width ㅅㅂ
    'ㅆㅂ 이게 뭐야',
    'ㅄ',
    'ㅂㅅ같은 물건',
    '시발놈아',
    'ㅅㅣㅂㅏㄹ',
    '시바ㄹ',
    '시 바 ㄹ',
    '병신',
    '병 신',
    '븅신',
    '개새끼',
    '개 새 끼',
    '개새기야',
    '좆같네',
    '존나 비싸네',
    'ㅈㄴ 별로',
    '지랄하네',
    '미친놈',
    '미친 새끼',
    '미친새끼야',
    '니애미',
    '느금마',
    '엠창',
    'tlqkf',
    'QUDTLS',
    'ssibal',
    '씨8',
    '썅년',
    '짱깨',
    '섹스',
    '강간',
    '또라이네'
  ];
  it.each(abusive)('blocks %j', (text) => expect(blockedAs(text, 'ko')).toBe(true));

  const ordinary = [
    '다리미 가격이 얼마예요?',
    '이번 할인 행사의 시발점이 어디예요?',
    '시발역에서 픽업 가능한가요?',
    '아저씨 발 사이즈가 270인데 맞을까요?',
    '발 사이즈 문의드려요',
    '내 발 사이즈는 250이에요',
    '미친 가격이네요 바로 살게요',
    '새끼손가락 반지 있나요?',
    '강아지 새끼 옷도 파나요?',
    '남자지갑 색상 뭐 있어요?',
    '아직 실물을 보지 못했어요',
    '밤에 자지 않고 기다렸어요',
    '시바견 옷 사이즈 있나요?',
    '미니미 사이즈도 있어요?',
    '껌 씹할 때 턱이 아파요',
    '걸레 세트 몇 개 들어있어요?',
    '딸딸이 슬리퍼 260 있나요?',
    '3개년 무상 보증인가요?',
    '씨앗 발아율이 어떻게 되나요?',
    '고추씨팔아요',
    '로션 용량이 어떻게 돼요?',
    '원피스 색상 추천해주세요',
    '배송은 언제 출발하나요?',
    '무료배송인가요?',
    '재질이 면 100%인가요?',
    '허리 사이즈가 28인데 S 맞나요?',
    '세탁기에 돌려도 되나요?',
    '가격 할인 더 안 되나요?',
    '개나리색 가디건 있어요?',
    '병아리 인형 귀여워요',
    '존재감 있는 가방이네요',
    '지난번에 산 거 너무 좋아요',
    '에센스랑 크림 세트로 사면 얼마예요?',
    '미들섹스 지역도 배송되나요?',
    '섹시한 원피스네요',
    '개 사료도 파나요?',
    '칼라 셔츠 가슴 포켓 있나요?',
    '신발 사이즈 교환 되나요?',
    '코트 기장이 어떻게 되나요?',
    '김씨네 가게 맞죠?',
    '빨간색도 있나요?',
    '한 번 더 보여주세요 ㅋㅋㅋ',
    '이거 진짜 존예다'
  ];
  it.each(ordinary)('passes %j', (text) => expect(filter.check(text)).toEqual({ ok: true }));
});

describe('Chinese', () => {
  const abusive = [
    '傻逼',
    '你是傻逼吗',
    '傻 逼',
    '傻.逼',
    '傻。逼',
    '傻*逼',
    '傻\u200B逼',
    '傻B',
    '傻 b',
    '傻Ｂ',
    '操你妈',
    '操 你 妈',
    '操你媽',
    '幹你娘',
    '他妈的太贵了',
    '他媽的',
    '卧槽',
    '臥槽',
    '我操',
    '草泥马',
    '狗日的',
    '王八蛋',
    '贱人',
    '賤貨',
    '婊子',
    '骚货',
    '雞巴',
    '去死吧',
    '死全家',
    '腦殘',
    '智障',
    '白癡',
    '強姦',
    '约炮',
    '約砲',
    '色情直播',
    '黄片',
    '做爱',
    '口交',
    '雜種',
    '支那人',
    '黑鬼',
    '屌',
    '肏'
  ];
  it.each(abusive)('blocks %j', (text) => expect(blockedAs(text, 'zh')).toBe(true));

  it('folds every listed term written in traditional characters', () => {
    const toTraditional = new Map([...ZH_TRADITIONAL_TO_SIMPLIFIED].map(([t, s]) => [s, t]));
    for (const term of ZH_TERMS) {
      const traditional = [...term].map((c) => toTraditional.get(c) ?? c).join('');
      expect(blockedAs(traditional, 'zh'), traditional).toBe(true);
    }
  });

  const ordinary = [
    '这款乳液适合干皮吗？',
    '鸡蛋面膜怎么用？',
    '乳液和面霜一起买有优惠吗',
    '鸡蛋仔机器还有货吗',
    '這款乳液適合乾皮嗎',
    '白色情侣款还有吗？',
    '特色情侣对戒多少钱',
    '这个颜色情况怎么样，会掉色吗',
    '我们做出口交易很多年了',
    '领口交叉设计很好看',
    '放门口交给快递就行',
    '我操作一下下单',
    '我操心的是尺码',
    '周末给孩子做爱吃的菜用这个锅',
    '做爱心便当的饭盒有吗',
    '这款很有个性，交给你选颜色',
    '女性交流群在哪里加？',
    '杂种优势的种子发芽率高吗',
    '杂种狗适合什么狗粮',
    '烤鸡巴西风味调料',
    '这支那么好用吗？',
    '姜黄片一天吃几片？',
    '蛋黄片可以给宝宝吃吗',
    '过生日你妈妈会喜欢这个礼物',
    '多少钱？',
    '尺码偏大还是偏小？',
    '发货要几天？',
    '包邮吗？',
    '有没有黑色的？',
    '面料是纯棉的吗',
    '干性皮肤能用吗',
    '牛奶沐浴露还有吗',
    '逼真的仿真花',
    '妈妈的生日礼物推荐一下',
    '体操服有儿童尺码吗',
    '日本发货还是国内发货',
    '阴天穿这件冷不冷',
    '鸡肉味的猫粮有吗',
    '奶粉是几段的',
    '傻傻的小熊玩偶好可爱',
    '操场跑步穿的运动鞋',
    '人口多的家庭买大号锅',
    '进口奶粉，出口转内销',
    '袖口有松紧吗',
    '鸡蛋 乳液 洗面奶 三件套',
    '性价比高吗',
    '黄色片装面膜',
    '口红色号有哪些'
  ];
  it.each(ordinary)('passes %j', (text) => expect(filter.check(text)).toEqual({ ok: true }));
});

describe('custom blocklist', () => {
  const shop = new WordFilter({ extraTerms: ['ShopMart', '쿠팡', '淘宝', '  ', '!!!'] });

  it.each([
    'buy it cheaper at ShopMart',
    'shop mart has it',
    's h o p m a r t',
    'shop.mart',
    'sh0pm4rt',
    '$h0pm@rt',
    'ѕhорmаrt', // Cyrillic
    'ｓｈｏｐｍａｒｔ',
    'shooopmaaart',
    'shop\u200Bmart',
    "ShopMart's prices are lower"
  ])('catches the competitor in %j', (text) => {
    expect(shop.check(text)).toEqual({ ok: false, matches: [{ term: 'ShopMart', lang: 'custom' }] });
  });

  it('catches Hangul and Han names with spacing', () => {
    expect(shop.check('쿠 팡에서 더 싸요')).toEqual({ ok: false, matches: [{ term: '쿠팡', lang: 'custom' }] });
    expect(shop.check('去淘 宝买')).toEqual({ ok: false, matches: [{ term: '淘宝', lang: 'custom' }] });
  });

  it('does not block look-alike ordinary words', () => {
    for (const text of ['the shop is smart', 'shopping mart', 'my shop marten plush', 'I like it!!!', '쿠키 팔아요']) {
      expect(shop.check(text), text).toEqual({ ok: true });
    }
  });

  it('matches a custom term only as a whole word', () => {
    const ace = new WordFilter({ extraTerms: ['Ace'] });
    expect(ace.check('place an order').ok).toBe(true);
    expect(ace.check('A.C.E has it').ok).toBe(false);
  });

  it('reports built-in and custom matches together and keeps lists per filter', () => {
    expect(shop.check('fuck ShopMart')).toEqual({
      ok: false,
      matches: [
        { term: 'fuck', lang: 'en' },
        { term: 'ShopMart', lang: 'custom' }
      ]
    });
    expect(filter.check('ShopMart')).toEqual({ ok: true });
    expect(defaultWordFilter()).toBe(filter);
  });
});
