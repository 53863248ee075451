import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { AdminCategory } from '../../../shared/api/products';
import { category_depth_max } from '../../../shared/api/products';
import { call } from '../../services/api';
import { ApiError } from '../../services/errors';
import { setup_pages, staffOrSignIn } from './form';
import './setup.less';

/** What is open on one category's row: renaming it, or choosing where it moves. */
type Open = { id: string; kind: 'rename'; name: string } | { id: string; kind: 'move' } | null;

function messageOf(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

/**
 * 分类管理: the category tree (two levels, category_depth_max), in the order
 * the shop shows it. The owner adds, renames, moves, hides and reorders;
 * a manager sees the tree and adds. The server's reason for a refusal (a
 * third level, a name taken) is shown on the row it concerns.
 */
export default function Categories() {
  const [items, setItems] = useState<AdminCategory[] | null>(null);
  const [owner, setOwner] = useState(false);
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const [open, setOpen] = useState<Open>(null);
  /** The server's reason by category id ('' for the add form). */
  const [errors, setErrors] = useState<Record<string, string>>({});

  const load = () => {
    const staff = staffOrSignIn(setup_pages.categories);
    if (!staff) return;
    setOwner(staff.staff.role === 'owner');
    void call('categories', {})
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  };
  useDidShow(load);

  const tops = (items ?? []).filter((c) => c.parentId === null);
  const siblingsOf = (c: AdminCategory) => (items ?? []).filter((x) => x.parentId === c.parentId);

  /** Runs one change; on success reloads the tree, on refusal shows the reason on the row. */
  const run = async (key: string, change: () => Promise<unknown>) => {
    setErrors((e) => ({ ...e, [key]: '' }));
    try {
      await change();
      setOpen(null);
      load();
      return true;
    } catch (error) {
      setErrors((e) => ({ ...e, [key]: messageOf(error) }));
      return false;
    }
  };

  const add = async () => {
    const ok = await run('', () => call('createCategory', { quiet: true, body: { name: name.trim(), ...(parentId ? { parentId } : {}) } }));
    if (ok) setName('');
  };

  const shift = (c: AdminCategory, by: -1 | 1) => {
    const ids = siblingsOf(c).map((x) => x.id);
    const at = ids.indexOf(c.id);
    const to = at + by;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    void run(c.id, () => call('reorderCategories', { quiet: true, body: { parentId: c.parentId, ids } }));
  };

  const update = (c: AdminCategory, body: { name?: string; parentId?: string | null; hidden?: boolean }) => void run(c.id, () => call('updateCategory', { quiet: true, params: { categoryId: c.id }, body }));

  return (
    <View className='page'>
      <View className='section' id='category-add-form'>
        <View className='section-title'>添加分类</View>
        <Input id='category-new-name' className='s-input' placeholder='分类名称，例如：上衣' value={name} onInput={(e) => setName(e.detail.value)} />
        <View className='s-label'>放在（分类最多 {category_depth_max} 级）</View>
        <View>
          <Text className={`chip ${parentId === '' ? 'chip--on' : ''}`} onClick={() => setParentId('')}>
            顶级分类
          </Text>
          {tops.map((t) => (
            <Text key={t.id} className={`chip parent-choice ${parentId === t.id ? 'chip--on' : ''}`} onClick={() => setParentId(t.id)}>
              {t.name} 下
            </Text>
          ))}
        </View>
        {errors[''] && <View className='field-error' id='category-add-error'>{errors['']}</View>}
        <Button id='category-create' type='primary' disabled={name.trim() === ''} onClick={() => void add()}>
          添加分类
        </Button>
      </View>

      <View className='section' id='category-tree'>
        <View className='section-title'>分类（按店铺中的顺序）</View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.length === 0 && <View className='muted'>还没有分类</View>}
        {items?.map((c) => {
          const siblings = siblingsOf(c);
          const at = siblings.findIndex((x) => x.id === c.id);
          return (
            <View key={c.id} className={`s-row category-row ${c.parentId ? 'category-row--child' : ''}`} data-category-id={c.id} data-category-name={c.name}>
              <View className='row'>
                <Text className='grow'>
                  {c.parentId ? '└ ' : ''}
                  {c.name}
                  {c.hidden && <Text className='tag-hidden'> 已隐藏</Text>}
                </Text>
                <Text className='muted'>{c.productCount} 个商品</Text>
              </View>
              {owner && (
                <View className='row category-actions'>
                  <Text className={`link category-up ${at === 0 ? 'muted' : ''}`} onClick={() => shift(c, -1)}>
                    上移
                  </Text>
                  <Text className={`link category-down ${at === siblings.length - 1 ? 'muted' : ''}`} onClick={() => shift(c, 1)}>
                    下移
                  </Text>
                  <Text className='link category-rename' onClick={() => setOpen(open?.id === c.id && open.kind === 'rename' ? null : { id: c.id, kind: 'rename', name: c.name })}>
                    改名
                  </Text>
                  <Text className='link category-move' onClick={() => setOpen(open?.id === c.id && open.kind === 'move' ? null : { id: c.id, kind: 'move' })}>
                    移动
                  </Text>
                  <Text className='link category-hide' onClick={() => update(c, { hidden: !c.hidden })}>
                    {c.hidden ? '在店铺显示' : '在店铺隐藏'}
                  </Text>
                </View>
              )}
              {open?.id === c.id && open.kind === 'rename' && (
                <View className='row'>
                  <Input className='s-input grow category-rename-input' value={open.name} onInput={(e) => setOpen({ ...open, name: e.detail.value })} />
                  <Button className='category-rename-save' size='mini' disabled={open.name.trim() === ''} onClick={() => update(c, { name: open.name.trim() })}>
                    保存
                  </Button>
                </View>
              )}
              {open?.id === c.id && open.kind === 'move' && (
                <View>
                  <View className='s-label'>移到</View>
                  {c.parentId !== null && (
                    <Text className='chip move-target' data-target='top' onClick={() => update(c, { parentId: null })}>
                      顶级分类
                    </Text>
                  )}
                  {tops
                    .filter((t) => t.id !== c.id && t.id !== c.parentId)
                    .map((t) => (
                      <Text key={t.id} className='chip move-target' data-target={t.name} onClick={() => update(c, { parentId: t.id })}>
                        {t.name} 下
                      </Text>
                    ))}
                </View>
              )}
              {errors[c.id] && <View className='field-error category-error'>{errors[c.id]}</View>}
            </View>
          );
        })}
        <View className='muted'>隐藏的分类及其子分类、商品不在店铺中显示，收银台仍可扫码和搜索。</View>
      </View>
    </View>
  );
}
