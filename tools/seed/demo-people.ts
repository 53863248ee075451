/**
 * The demo shop's people and the platform ids they sign in with. The sandbox
 * issues login codes for these ids, and the H5 sign-in page offers them.
 */
export const demoMerchant = { name: '柜台演示商行' };

export const demoStores = [
  { code: 'DEMO01', name: '演示一号店（国贸）', address: '北京市朝阳区建国门外大街1号' },
  { code: 'DEMO02', name: '演示二号店（望京）', address: '北京市朝阳区望京街10号' },
] as const;

export const demoStaff = [
  { key: 'owner', name: '王老板', role: 'owner', wechat: 'o_demo_owner', alipay: '2088000000000001', stores: ['DEMO01', 'DEMO02'] },
  { key: 'manager', name: '陈店长', role: 'manager', wechat: 'o_demo_manager', alipay: '2088000000000002', stores: ['DEMO01'] },
  { key: 'assistant1', name: '店员小王', role: 'assistant', wechat: 'o_demo_assistant_1', alipay: '2088000000000003', stores: ['DEMO01'] },
  { key: 'assistant2', name: '店员小李', role: 'assistant', wechat: 'o_demo_assistant_2', alipay: '2088000000000004', stores: ['DEMO02'] },
] as const;

export const demoMembers = [
  { name: '张三', phone: '13800000001', wechat: 'o_demo_member_1', alipay: null, level: '金卡会员', points: 1280 },
  { name: '李四', phone: '13800000002', wechat: 'o_demo_member_2', alipay: null, level: '普通会员', points: 120 },
  { name: '王五', phone: '13800000003', wechat: null, alipay: '2088000000000101', level: '银卡会员', points: 560 },
  { name: '赵六', phone: '13800000004', wechat: null, alipay: null, level: '普通会员', points: 0 },
] as const;
