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
  terminal: {
    open: '터미널',
    title: '터미널',
    close: '닫기',
    closeLabel: '터미널 닫기',
    screenLabel: '터미널: 단계가 실행되는 세션의 셸',
    help: '단계와 같은 세션의 셸입니다. 여기서 `cd`나 `export`를 하면 다음 단계가 그 상태에서 시작하고, 단계가 `cd`하면 다음 명령은 그 폴더에서 실행됩니다. **Ctrl+C**는 실행 중인 명령을 멈추고, **Ctrl+Shift+C**는 선택한 내용을 복사하며, **Ctrl+V**는 붙여 넣습니다. 키보드로 터미널에서 빠져나오려면 **Esc**를 누른 다음 **Tab**을 누르세요.',
    connecting: '연결하는 중…',
    connected: (target: string) => `연결됨: ${target}.`,
    lost: '연결이 끊겼습니다. 다시 연결하는 중…',
    ended: (message: string) => `${message}. 터미널에서 Enter를 누르면 새 셸이 시작됩니다.`,
    unavailable: (message: string) => `터미널을 쓸 수 없습니다: ${message}.`,
  },
  // ── 학습자가 고친 단계(step-editor.ts) ─────────────────────────────────────────────────────
  editor: {
    edit: '고치기',
    editLabel: (name: string) => `코드 고치기: ${name}`,
    close: '편집기 닫기',
    textareaLabel: (name: string) => `내가 고친 코드: ${name}`,
    hint: '실행을 누르면 고친 코드가 실행됩니다. 예상 출력은 원래 단계의 것 그대로입니다. 고친 내용은 원래대로 되돌릴 때까지 이 브라우저에 남습니다.',
    edited: '고침',
    editedTitle: '이 단계의 코드를 고쳤습니다. 실행하면 고친 코드가 실행됩니다',
    restore: '원래대로',
    restoreLabel: (name: string) => `원래 코드로 되돌리기: ${name}`,
    diffLabel: (name: string) => `원래 코드와 달라진 곳: ${name}`,
    diffTitle: '달라진 곳(− 원래 코드, + 고친 코드)',
    unchanged: (n: number) => `… 같은 줄 ${n}개`,
    ranEdited: '이번 실행은 고친 코드로 했습니다.',
    mismatchEdited: '출력이 예상 출력과 다릅니다. 이 단계는 코드를 고쳤고, 예상 출력은 원래 단계의 것입니다.',
    notEditable: '이 러너는 고친 단계를 실행하지 않습니다(`--no-edited-runs`로 시작됨).',
    couldNotLoad: '단계의 코드를 불러오지 못했습니다',
    tooLong: (max: number) => `고친 코드가 러너가 받는 ${max}자보다 깁니다.`,
  },

  // ── 작업 폴더의 파일(files-panel.ts) ──────────────────────────────────────────────────────
  files: {
    title: '작업 폴더의 파일',
    summary: '작업 폴더의 파일',
    refresh: '새로 고침',
    empty: '작업 폴더가 비어 있습니다. 아직 단계가 만든 파일이 없습니다.',
    truncated: '작업 폴더에는 여기 보이는 것보다 파일이 더 많습니다.',
    treeLabel: '작업 폴더의 파일 목록',
    open: (path: string) => `${path} 열기`,
    fileLabel: (path: string) => `${path}의 내용`,
    editLabel: (path: string) => `${path} 고치기`,
    binary: '바이너리 파일이라 여기서는 보여 주지 않습니다.',
    tooLarge: '너무 커서 여기서는 보여 주지 않습니다. 터미널에서 여세요.',
    readOnly: '읽기 전용: 여기서 고치기에는 너무 큽니다.',
    save: '저장',
    saved: '저장했습니다.',
    close: '닫기',
    link: '심볼릭 링크(따라가지 않음)',
    couldNot: {
      list: '작업 폴더의 목록을 가져오지 못했습니다',
      open: '파일을 열지 못했습니다',
      save: '파일을 저장하지 못했습니다',
    },
  },
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
    cancelStageLabel: '시작 준비 취소',
    continue: '계속',
    stopHere: '여기서 멈추기',
    reset: '모두 초기화…',
    resetChapter: '이 장 초기화…',
    resetChapterConfirm: (title: string) =>
      `“${title}”을(를) 초기화할까요?\n\n이 장에서 실행 중인 단계와 서비스를 멈추고, 이 장의 단계가 만든 것을 지웁니다. 폴더, 그리고 단계가 만든 도커 컨테이너, 이미지, 네트워크입니다. 다른 장의 작업은 그대로 남습니다. 이 장이 기대는 앞 장의 단계가 아직 실행되지 않았다면, 그 단계들을 이어서 실행합니다.`,
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
    stageRunning: (n: number, total: number, step?: string) =>
      `시작 준비 중: 이 장은 앞 장들이 남긴 결과에서 시작합니다. 앞 장의 단계 ${total}개 중 ${n}번째를 실행하고 있습니다${step ? ` (\`${step}\`)` : ''}.`,
    stageDone: (total: number) =>
      `시작 준비가 끝났습니다: 앞 장들의 단계 ${total}개를 실행했습니다. 이제 이 장을 시작할 수 있습니다.`,
    stageStopped: (step: string | undefined, why: string | undefined) =>
      `시작 준비가 ${step ? `앞 장의 단계 \`${step}\`에서 ` : ''}멈췄습니다${why ? `: ${why.replace(/\.$/, '')}.` : '.'} 그 장을 열어 출력을 확인하거나, 이 장 초기화를 다시 눌러 보세요.`,
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
  log: {
    title: '세션 기록',
    intro: '마지막 “모두 초기화” 이후 실행한 모든 단계와 그 출력입니다. 먼저 실행한 것이 위에 있습니다.',
    loading: '세션 기록을 불러오는 중…',
    empty: '이 세션에서는 아직 실행한 단계가 없습니다.',
    older: (n: number) => `그보다 앞선 실행 ${n}개는 목록에 없습니다.`,
    omitted: (kib: number) =>
      `… 출력 ${kib} KiB를 여기서 생략했습니다. 단계 자체에서 마지막 실행의 전체 출력을 볼 수 있습니다.`,
    noOutput: '(출력 없음)',
    refresh: '새로 고침',
    couldNot: '세션 기록을 불러오지 못했습니다',
    entryLabel: (n: number, name: string) => `실행 ${n}: ${name}`,
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
