import type { Locale } from '$lib/i18n/locales';

/** The moderation UI's own strings, kept here so the shared locale files stay untouched. */
interface ModerationMessages {
  loading: string;
  unavailable: (reason: string) => string;
  idle: string;
  waiting: string;
  watching: (score: string, ms: number, backend: string) => string;
  paused: string;
  checkTitle: string;
  checkIntro: string;
  cameraError: (reason: string) => string;
  measuring: (done: number, total: number) => string;
  backend: string;
  threads: string;
  fps: string;
  p50: string;
  p95: string;
  frames: string;
  modelLoad: string;
  fastEnough: string;
  tooSlow: string;
  threshold: string;
  events: (flags: number, clears: number) => string;
  imageCheck: string;
  imageResult: (unsafe: boolean, score: string) => string;
}

const messages: Record<Locale, ModerationMessages> = {
  en: {
    loading: 'Loading the moderation model…',
    unavailable: (r) => `Moderation unavailable: ${r}`,
    idle: 'Moderation: no video yet',
    waiting: 'Moderation ready; waiting for video…',
    watching: (s, ms, b) => `Watching: nudity score ${s} · ${ms} ms (${b})`,
    paused: 'Broadcast paused: possible nudity detected',
    checkTitle: 'Device check: on-device moderation',
    checkIntro: 'Runs the nudity check on your camera as fast as this device can, so you know the broadcast guard keeps up. Your video never leaves this device.',
    cameraError: (r) => `Camera unavailable: ${r}`,
    measuring: (d, t) => `Measuring… ${d}/${t} frames`,
    backend: 'Backend',
    threads: 'Threads',
    fps: 'Frames per second',
    p50: 'Median per frame',
    p95: '95th percentile per frame',
    frames: 'Frames',
    modelLoad: 'Model load',
    fastEnough: 'This device is fast enough for the broadcast guard.',
    tooSlow: 'This device is slow for the broadcast guard; close other apps or use a faster computer.',
    threshold: 'Flag threshold (0–1)',
    events: (f, c) => `Guard events: flagged ${f}×, cleared ${c}×`,
    imageCheck: 'Check a product image or avatar',
    imageResult: (u, s) => `${u ? 'Would be blocked' : 'OK to upload'} (nudity score ${s})`
  },
  ko: {
    loading: '검수 모델을 불러오는 중…',
    unavailable: (r) => `검수를 사용할 수 없음: ${r}`,
    idle: '검수: 아직 영상 없음',
    waiting: '검수 준비됨, 영상 대기 중…',
    watching: (s, ms, b) => `감시 중: 노출 점수 ${s} · ${ms} ms (${b})`,
    paused: '방송 일시 중지: 노출 가능성이 감지되었습니다',
    checkTitle: '기기 점검: 온디바이스 검수',
    checkIntro: '카메라 영상으로 노출 검사를 이 기기의 최대 속도로 실행해, 방송 보호 기능이 제때 동작하는지 확인합니다. 영상은 기기 밖으로 나가지 않습니다.',
    cameraError: (r) => `카메라를 사용할 수 없음: ${r}`,
    measuring: (d, t) => `측정 중… ${d}/${t} 프레임`,
    backend: '백엔드',
    threads: '스레드',
    fps: '초당 프레임',
    p50: '프레임당 중앙값',
    p95: '프레임당 95 백분위',
    frames: '프레임',
    modelLoad: '모델 로드',
    fastEnough: '이 기기는 방송 보호 기능을 돌리기에 충분히 빠릅니다.',
    tooSlow: '이 기기는 방송 보호 기능에 느립니다. 다른 앱을 닫거나 더 빠른 컴퓨터를 사용하세요.',
    threshold: '차단 임계값 (0–1)',
    events: (f, c) => `보호 이벤트: 차단 ${f}회, 해제 ${c}회`,
    imageCheck: '상품 이미지나 프로필 사진 검사',
    imageResult: (u, s) => `${u ? '업로드가 차단됩니다' : '업로드 가능'} (노출 점수 ${s})`
  },
  zh: {
    loading: '正在加载审核模型…',
    unavailable: (r) => `审核不可用：${r}`,
    idle: '审核：暂无视频',
    waiting: '审核已就绪，等待视频…',
    watching: (s, ms, b) => `监测中：裸露评分 ${s} · ${ms} 毫秒（${b}）`,
    paused: '直播已暂停：检测到可能的裸露内容',
    checkTitle: '设备检测：本地内容审核',
    checkIntro: '用摄像头画面以本设备的最快速度运行裸露检测，确认直播防护跟得上。视频不会离开本设备。',
    cameraError: (r) => `无法使用摄像头：${r}`,
    measuring: (d, t) => `测量中… ${d}/${t} 帧`,
    backend: '后端',
    threads: '线程',
    fps: '每秒帧数',
    p50: '每帧中位数',
    p95: '每帧 95 百分位',
    frames: '帧数',
    modelLoad: '模型加载',
    fastEnough: '本设备足够快，可以运行直播防护。',
    tooSlow: '本设备运行直播防护较慢，请关闭其他应用或使用更快的电脑。',
    threshold: '标记阈值（0–1）',
    events: (f, c) => `防护事件：标记 ${f} 次，解除 ${c} 次`,
    imageCheck: '检查商品图片或头像',
    imageResult: (u, s) => `${u ? '将被拦截' : '可以上传'}（裸露评分 ${s}）`
  }
};

export const moderationMessages = (locale: Locale): ModerationMessages => messages[locale];
