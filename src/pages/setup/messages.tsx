import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { message_platforms, message_topics, messageTemplateRequest, topic_fields, topic_titles, type MessagePlatform, type MessageTemplatesResponse, type MessageTopic } from '../../../shared/api/messages';
import { call, showError } from '../../services/api';
import { formErrors, schemaErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

const platform_names: Record<MessagePlatform, string> = { wechat: '微信', alipay: '支付宝' };
const keyword_hint: Record<MessagePlatform, string> = { wechat: '如 thing1、time4', alipay: '如 keyword1' };

interface TemplateForm {
  templateId: string;
  /** The template's keyword for each of the topic's values; empty means the template does not show it. */
  keywords: Record<string, string>;
  enabled: boolean;
}

type Forms = Record<string, TemplateForm>;
const formKey = (topic: MessageTopic, platform: MessagePlatform) => `${topic}:${platform}`;

function formsOf(r: MessageTemplatesResponse): Forms {
  const forms: Forms = {};
  for (const topic of message_topics) {
    for (const platform of message_platforms) {
      const t = r.templates.find((x) => x.topic === topic && x.platform === platform);
      const keywords: Record<string, string> = {};
      for (const [keyword, key] of Object.entries(t?.fields ?? {})) keywords[key] = keyword;
      forms[formKey(topic, platform)] = { templateId: t?.templateId ?? '', keywords, enabled: t?.enabled ?? false };
    }
  }
  return forms;
}

/**
 * 消息模板: for each message a member can get (积分变动, 优惠券到期, 取货,
 * 储值变动) and each platform, the template the owner picked in the
 * platform's console (公共模板库) and which of its keywords shows which value.
 * A member is only ever sent a message they agreed to in the mini-program.
 */
export default function Messages() {
  const [forms, setForms] = useState<Forms | null>(null);
  const [counts, setCounts] = useState<MessageTemplatesResponse['counts']>({});
  const [errors, setErrors] = useState<Record<string, FieldErrors>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [isOwner, setIsOwner] = useState(false);

  useDidShow(() => {
    const staff = staffOrSignIn(setup_pages.messages);
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    call('messageTemplates')
      .then((r) => {
        setForms(formsOf(r));
        setCounts(r.counts);
      })
      .catch((e: unknown) => showError(e));
  });

  const edit = (key: string, change: (f: TemplateForm) => TemplateForm) => setForms((all) => (all ? { ...all, [key]: change(all[key]!) } : all));

  const save = async (topic: MessageTopic, platform: MessagePlatform) => {
    const key = formKey(topic, platform);
    const f = forms?.[key];
    if (!f) return;
    setSaved(null);
    const fields: Record<string, string> = {};
    for (const [value, keyword] of Object.entries(f.keywords)) if (keyword.trim() !== '') fields[keyword.trim()] = value;
    const body = { topic, platform, templateId: f.templateId.trim(), fields, enabled: f.enabled };
    const checked = messageTemplateRequest.safeParse(body);
    if (!checked.success) {
      setErrors((e) => ({ ...e, [key]: schemaErrors(checked.error.issues) }));
      return;
    }
    try {
      await call('saveMessageTemplate', { body, quiet: true });
      setErrors((e) => ({ ...e, [key]: {} }));
      setSaved(key);
    } catch (error) {
      setErrors((e) => ({ ...e, [key]: formErrors(error) }));
    }
  };

  if (!forms) return <View className='page'><View className='section muted'>加载中…</View></View>;
  return (
    <View className='page'>
      <View className='section muted'>在微信公众平台「订阅消息」、支付宝开放平台「模板消息」里选好模板，把模板编号和关键词填在这里。会员在小程序里点了“允许”才会收到，每次允许可发一条。</View>
      {message_topics.map((topic) => {
        const c = counts[topic];
        return (
          <View className='section' key={topic} id={`messages-${topic}`}>
            <View className='section-title'>{topic_titles[topic]}</View>
            <View className='muted'>{c ? `近 30 天：已发 ${c.sent} · 失败 ${c.failed} · 未订阅跳过 ${c.skipped} · 待发 ${c.waiting}` : '近 30 天还没有消息'}</View>
            {message_platforms.map((platform) => {
              const key = formKey(topic, platform);
              const f = forms[key]!;
              const err = errors[key] ?? {};
              const fieldError = Object.entries(err).find(([path]) => path.startsWith('fields'))?.[1];
              return (
                <View className='s-row' key={platform} id={`messages-${topic}-${platform}`}>
                  <View className='row'>
                    <Text>{platform_names[platform]}</Text>
                    {/* A chip rather than Switch: a component used anywhere adds its template to the main package's base.wxml, which is full. */}
                    <Text id={`messages-enabled-${topic}-${platform}`} className={f.enabled ? 'chip chip--on' : 'chip'} onClick={() => isOwner && edit(key, (x) => ({ ...x, enabled: !x.enabled }))}>
                      {f.enabled ? '已启用' : '未启用'}
                    </Text>
                  </View>
                  <View className='s-label'>模板编号</View>
                  <Input className='s-input' disabled={!isOwner} value={f.templateId} placeholder={platform === 'wechat' ? '微信订阅消息模板 ID' : '支付宝模板 ID'} onInput={(e) => edit(key, (x) => ({ ...x, templateId: e.detail.value }))} />
                  {err.templateId && <View className='field-error'>{err.templateId}</View>}
                  {topic_fields[topic].map((field) => (
                    <View key={field.key} className='row'>
                      <Text className='s-label'>{field.label}</Text>
                      <Input
                        className='s-input messages-keyword'
                        disabled={!isOwner}
                        value={f.keywords[field.key] ?? ''}
                        placeholder={keyword_hint[platform]}
                        onInput={(e) => edit(key, (x) => ({ ...x, keywords: { ...x.keywords, [field.key]: e.detail.value } }))}
                      />
                    </View>
                  ))}
                  {fieldError && <View className='field-error'>{fieldError}</View>}
                  {isOwner && (
                    <Button size='mini' type='primary' id={`messages-save-${topic}-${platform}`} onClick={() => void save(topic, platform)}>
                      保存
                    </Button>
                  )}
                  {saved === key && <Text className='muted' id={`messages-saved-${topic}-${platform}`}> 已保存</Text>}
                </View>
              );
            })}
          </View>
        );
      })}
    </View>
  );
}
