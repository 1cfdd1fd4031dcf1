/**
 * The page's words in Korean: the same table as ./texts.ts, key for key (the type makes a missing
 * or extra key a build error), written for a Korean learner in the usual terms (러너, 단계, 랩,
 * 컨테이너, 이미지…), not word for word.
 */
import type { CodeLabels, ControlLabels, EnglishTexts, StepNaming } from './texts.ts';

export const KO: EnglishTexts = {
  status: {
    idle: '실행 전',
    queued: '대기 중',
    running: '실행 중',
    ready: '서비스 중',
    ok: '완료',
    already: '이미 완료됨',
    failed: '실패',
    skipped: '건너뜀',
    cancelled: '취소됨',
    stale: '실행 뒤에 바뀜',
    manual: '직접 하는 단계',
  },
  result: {
    running: '실행 중',
    ok: '완료',
    failed: '실패',
    skipped: '건너뜀',
    cancelled: '취소됨',
  },
  run: '실행',
  cancel: '취소',
  stop: '중지',
  cancelQueued: '취소(대기 중)',
  runToHere: '여기까지 실행',
  runToHereTitle: '이 장의 단계를 처음부터 이 단계까지 차례대로 실행합니다',
  open: '열기',
  authorsDetails: '자세히',
  stepId: '단계 ID',
  queuedLine: '대기 중: 앞 단계가 끝나면 실행됩니다.',
  startingLine: '시작하는 중…',
  runningLine: '실행 중…',
  servingLine: '서비스 중입니다. 중지할 때까지 계속 실행됩니다.',
  alreadyDone: '이미 완료됨',
  staleLine: '그 실행 뒤에 이 단계가 바뀌었습니다. 다시 실행하면 결과가 갱신됩니다.',
  expectOk: (match: string) => `출력이 기대한 출력과 일치합니다(${match}).`,
  expectAgainOk: (match: string) => `출력이 다시 실행했을 때의 출력과 일치합니다(${match}).`,
  expectBad: (match: string) => `출력이 기대한 출력과 다릅니다(${match}).`,
  lastVerified: (date: string, tools: string) => `마지막으로 검증된 출력 · ${date} · ${tools}`,
  expectedOutput: (match: string) => (match === 'none' ? '보게 될 출력' : `기대하는 출력 · 검사 방식: ${match}`),
  expectedAgain: '두 번째 실행에서 보이는 출력',
  manualStep: '직접 하는 단계입니다',
  kind: {
    service: (port: number | undefined) => `:${port ?? '?'}의 서비스`,
    file: '파일 쓰기',
    edit: '파일 고치기',
    python: '파이썬 스크립트',
    repl: '파이썬 세션',
    manual: '직접 하기',
    shell: '셸',
  },
  needs: (what: string) => `${what} 필요`,
  couldNot: {
    run: '이 단계를 실행하지 못했습니다',
    runTo: '이 장을 여기까지 실행하지 못했습니다',
    cancel: '취소하지 못했습니다',
    stop: '중지하지 못했습니다',
    load: '마지막 출력을 불러오지 못했습니다',
  },
  noAnswer: '러너가 응답하지 않았습니다.',
  httpStatus: (status: number) => `러너가 HTTP ${status}로 응답했습니다.`,
  noAnswerHint: '`npm start`가 아직 실행 중인가요? 페이지는 스스로 다시 연결합니다.',
  ago: {
    now: '방금',
    minutes: (n: number) => `${n}분 전`,
    hours: (n: number) => `${n}시간 전`,
  },
  exitCode: (code: number) => `종료 코드 ${code}`,
  toolbar: {
    title: '러너',
    count: (n: number) => `· 이 장의 실행할 수 있는 단계 ${n}개`,
    staticNotice:
      '이 페이지에서 단계를 실행하려면 프로젝트 폴더에서 `npm start`로 러너를 시작하고, 러너가 출력하는 링크를 여세요. 러너가 없으면 각 단계는 코드와 마지막으로 검증된 출력을 보여 줍니다.',
    connection: {
      checking: '러너를 찾는 중…',
      absent:
        '**러너가 실행 중이 아닙니다.** 프로젝트 폴더에서 `npm start`로 시작하고 출력되는 링크를 여세요. 이 페이지는 러너를 스스로 찾아냅니다. 그때까지 각 단계는 마지막으로 검증된 출력을 보여 줍니다.',
      unauthorized:
        '**러너를 찾았지만 이 페이지에 유효한 토큰이 없습니다.** `npm start`가 출력한 링크를 여세요(또는 `--new-token`으로 시작해서 새 링크를 여세요).',
      connected: '**러너에 연결되었습니다.**',
    },
    target: (description: string) => `실행 위치: ${description}.`,
    offline: (reason: string) => `**오프라인 프로필:** ${reason}.`,
    runAll: '모두 실행',
    running: '실행 중…',
    cancelAll: '취소',
    cancelAllLabel: '모두 실행 취소',
    continue: '계속',
    stopHere: '여기서 멈추기',
    reset: '모두 초기화…',
    resetChapter: '이 장 초기화…',
    resetChapterConfirm: (title: string) =>
      `“${title}”을(를) 초기화할까요?\n\n이 장에서 실행 중인 단계와 서비스를 멈추고, 이 장의 단계가 만든 것을 지웁니다. 폴더, 그리고 단계가 만든 도커 컨테이너, 이미지, 네트워크입니다. 다른 장의 작업은 그대로 남습니다.`,
    targetLabel: '단계를 실행할 곳',
    targetLab: '랩 컨테이너(myserver01)',
    targetHost: '이 컴퓨터(호스트)',
    progress: (passed: number, total: number) => `단계 ${total}개 중 ${passed}개 통과`,
    progressSkipped: (n: number) => `, ${n}개 건너뜀`,
    progressLastKnown: ' (마지막으로 알려진 상태, 러너가 연결되어 있지 않습니다)',
    servicesTitle: '실행 중인 서비스',
    container: '컨테이너',
    stopService: (name: string) => `${name} 중지`,
    stopContainer: (name: string) => `컨테이너 ${name} 중지`,
    serviceState: { starting: '시작하는 중', ready: '준비됨' },
    batchRunning: (scope: string, now?: string) => `${scope} 실행 중${now ? `, 지금은 “${now}”` : ''}.`,
    batchAll: '모든 단계를',
    batchUpTo: (name: string) => `“${name}”까지`,
    batchOther: (chapter: string) =>
      `다른 장(${chapter})이 단계를 실행하고 있습니다. 그것이 끝나면 모두 실행을 쓸 수 있습니다.`,
    batchDone: (upTo?: string) =>
      upTo ? `끝났습니다. “${upTo}”까지의 단계를 실행했습니다.` : '끝났습니다. 모든 단계가 통과했습니다.',
    batchDoneSkipped: (n: number, names: string) =>
      `끝났지만 단계 ${n}개를 건너뛰었습니다: ${names}. 이유는 각 단계에서 볼 수 있습니다.`,
    batchStopped: (at: string | undefined, why: string | undefined) =>
      `${at ? `“${at}”에서 ` : ''}멈췄습니다${why ? `: ${why}` : '.'}`,
    checkpoint: (name: string, what: string | undefined) =>
      `“${name}” 다음에서 잠시 멈췄습니다. ${what ?? '살펴본 다음 계속하세요.'} 준비가 되면 계속을 누르세요.`,
    task: { reset: '초기화', provision: '이미지 준비', lab: '랩 컨테이너' },
    resetConfirm:
      '튜토리얼을 초기화할까요?\n\n실행 중인 모든 단계와 서비스를 멈추고, 튜토리얼의 도커 컨테이너와 이미지를 지우고, 작업 공간 폴더를 비웁니다. 모든 장의 진행 상황이 처음부터 다시 시작됩니다.',
    resetStarting: '초기화: 시작하는 중…',
    switchConfirm: (name: string, running: string) => `${name} 실행 위치로 바꾸면 ${running}이(가) 멈춥니다. 바꿀까요?`,
    couldNot: {
      switch: '실행 위치를 바꾸지 못했습니다',
      run: '이 장을 실행하지 못했습니다',
      cancel: '취소하지 못했습니다',
      continue: '계속하지 못했습니다',
      reset: '초기화하지 못했습니다',
      resetChapter: '이 장을 초기화하지 못했습니다',
      stop: (name: string) => `${name}을(를) 중지하지 못했습니다`,
    },
  },
  landing: {
    connected: '**러너에 연결되었습니다.** 아무 장이나 열고 단계의 실행 버튼을 누르세요.',
    absent: '**연결된 러너가 없습니다.** 단계를 실행하려면 `npm start`로 러너를 시작하고 출력되는 링크를 여세요.',
    unauthorized: '**러너가 실행 중이지만 이 브라우저에 유효한 토큰이 없습니다.** `npm start`가 출력한 링크를 여세요.',
    checking: '러너를 찾는 중…',
  },
  yaml: {
    editBefore: '· ',
    editAfter: ' 사본을 직접 고쳐 보세요',
    restore: '원래대로 되돌리기',
    hints: {
      checking: '러너를 찾는 중…',
      absent: '`npm start`로 러너를 시작하면 파이썬의 PyYAML 결과와 비교할 수 있습니다.',
      unauthorized: '`npm start`가 출력한 토큰 링크를 열면 파이썬의 PyYAML 결과와 비교할 수 있습니다.',
      connected: '',
    },
    runnerCouldNot: '러너가 이 내용을 파이썬으로 파싱하지 못했습니다.',
    pyCouldNot: 'PyYAML이 이 내용을 불러오지 못했습니다.',
    at: (line: number, column?: number) => `${line}번째 줄${column ? `, ${column}번째 칸` : ''}: `,
    bothReject: '두 파서 모두 이 YAML을 받아들이지 않습니다. 가리키는 줄을 고치세요.',
    onlyOne: (parser: string) => `결과가 다릅니다. ${parser}만 이 YAML을 받아들입니다.`,
    agree: '두 파서의 결과가 같습니다.',
    differIn: (n: number) => `결과가 ${n}군데 다릅니다:`,
    difference: (line: number | undefined, path: string, text: string) =>
      `• ${line ? `${line}번째 줄, ` : ''}${path}: ${text}`,
    wholeDocument: '문서 전체',
    gives: (js: string, py: string) => `js-yaml은 ${js}, PyYAML은 ${py}`,
    items: (js: number, py: number) => `js-yaml은 항목 ${js}개, PyYAML은 ${py}개`,
    onlyIn: (parser: string) => `${parser}의 결과에만 있음`,
    selfAlias: '이 YAML은 별칭(alias)으로 자기 자신을 가리킵니다',
    tooBig: (limit: string) =>
      `이 YAML의 별칭을 펼치면 데이터가 ${limit}자를 넘습니다(“billion laughs” 문서일까요?). 페이지가 멈추지 않도록 보여 주지 않습니다`,
    tooDeep: '이 YAML은 너무 깊이 중첩되어 있어 보여 줄 수 없습니다',
  },
};

export const KO_LABELS: ControlLabels = {
  run: (name: string) => `실행: ${name}`,
  cancel: (name: string, background: boolean) => `${background ? '중지' : '취소'}: ${name}`,
  runToHere: (name: string) => `여기까지 실행: ${name}`,
  open: (name: string) => `페이지 열기: ${name}`,
  output: (name: string) => `출력: ${name}`,
  diff: (name: string) => `기대한 출력과의 차이: ${name}`,
  details: (name: string) => `작성자용 자세히 보기: ${name}`,
  announce: (name: string, status: string) => `${name}: ${status}`,
};

export const KO_CODE_LABELS: CodeLabels = {
  stepname: { code: (name: string) => `코드: ${name}`, copy: (name: string) => `복사: ${name}` },
  verifiedof: {
    code: (name: string) => `마지막으로 검증된 출력: ${name}`,
    copy: (name: string) => `마지막으로 검증된 출력 복사: ${name}`,
  },
  expectedof: {
    code: (name: string) => `기대하는 출력: ${name}`,
    copy: (name: string) => `기대하는 출력 복사: ${name}`,
  },
};

/** "단계 3", "프로젝트 시작하기, 2/3" */
export function koStepName(step: StepNaming): string {
  const base = step.heading ?? step.title ?? `단계 ${step.order + 1}`;
  return step.headingPart ? `${base}, ${step.headingPart.index}/${step.headingPart.of}` : base;
}
