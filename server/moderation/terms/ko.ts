// Korean blocklist. Curated to leave out words with an everyday meaning:
// 보지/자지 ("to see"/"to sleep" forms), 미친 alone ("미친 가격", crazy price),
// 새끼 alone (young animal, 새끼손가락), 걸레 (rag), 딸딸이 (flip-flops),
// 애자 (inside 애자일), 니미 (inside 미니미), 개년 (3개년 = three-year), 시바 (Shiba dog).
// A space in a term matches with or without the space.
export const KO_TERMS: readonly string[] = [
  // 씨발 and its spellings
  '씨발', '씨빨', '씨팔', '씨벌', '씨부랄', '씨부럴', '시발', '시빨', '시팔', '씨8',
  // insults
  '병신', '븅신', '빙신', '개새끼', '개새기', '개색기', '개색끼', '개세끼', '개쌔끼',
  '씹새끼', '씹년', '씹창', '좆', '존나', '존내', '지랄', '미친년', '미친 놈', '미친 새끼',
  '또라이', '썅', '니애미', '느금마', '니기미', '엠창', '호로새끼', '호로자식', '후레자식',
  // initial-consonant abbreviations: 씨발, 병신, 존나, 지랄, 개새끼, 좆까
  'ㅅㅂ', 'ㅆㅂ', 'ㅂㅅ', 'ㅄ', 'ㅈㄴ', 'ㅈㄹ', 'ㄱㅅㄲ', 'ㅈㄲ',
  // typed on an English keyboard layout: 시발, 병신; romanised 씨발
  'tlqkf', 'qudtls', 'ssibal',
  // sexual
  '섹스', '강간', '야동', '창녀',
  // slurs
  '짱깨', '쪽바리', '깜둥이', '김치녀', '한남충', '맘충', '틀딱', '똥꼬충', '보슬아치'
];

// Innocent words that contain a blocked term; masked before terms are searched.
export const KO_ALLOW: readonly string[] = [
  '시발점', // starting point
  '시발역', // departure station
  '발아', // germination: 씨발아율 (seed germination rate)
  '씨팔아', // 고추씨팔아요 (selling pepper seeds)
  '미들섹스', '서섹스', '에섹스' // Middlesex, Sussex, Essex
];
