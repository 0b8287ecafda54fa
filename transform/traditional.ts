/**
 * Traditional characters of the template's labels mapped to their simplified forms, so a report typed in
 * traditional script (規章, 行政許可, 予以公開) is read by the same labels. Only label text goes through this.
 */

const PAIRS =
  '規规許许處处罰罚強强業业費费採采購购開开結结轉转國国關关險险穩稳權权內内務务過过執执詢询項项現现製制補补請请確确認认' +
  '複复議议訴诉訟讼維维糾纠審审總总計计數数發发廢废達达決决單单體体機机構构組组織织獲获資资產产報报實实際际條条從从經经' +
  '後后與与為为無无當当舉举訪访據据這这個个應应對对區区縣县級级會会員员辦办證证營营濟济財财廳厅門门長长書书類类屬属於于' +
  '護护繳缴納纳遞递週周佈布歸归衝冲穩稳轄辖統统況况饋馈號号則则範范規规製制廳厅網网頁页圖图際际屆届訊讯沒没覆复繼继續续復复樣样萬万減减總总';

const SIMPLIFIED = new Map<string, string>();
for (let index = 0; index + 1 < PAIRS.length; index += 2) SIMPLIFIED.set(PAIRS[index]!, PAIRS[index + 1]!);

/** The text with every traditional character of the template's vocabulary replaced by its simplified form. */
export function toSimplified(text: string): string {
  let result = '';
  for (const character of text) result += SIMPLIFIED.get(character) ?? character;
  return result;
}
