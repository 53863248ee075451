import { Text, View } from '@tarojs/components';
import type { ResponseOf } from '../../../../shared/api/routes';

type JobItem = ResponseOf<'merchantJobs'>['items'][number];

/** The owner's names for the scheduled jobs the deployment runs for this shop. */
const job_titles: Record<string, string> = {
  payments: '收款核查、退款与分账',
  'order-expiry': '超时未付订单取消',
  reservations: '到期预约释放',
  reconcile: '账单下载与对账',
};

function when(at: string): string {
  const d = new Date(Date.parse(at) + 8 * 3_600_000);
  return `${d.toISOString().slice(5, 10)} ${d.toISOString().slice(11, 16)}`;
}

/**
 * Each scheduled job's last outcome for this shop: the payment sweep, order
 * and reservation expiry, and the nightly bill. A failed one says so and how
 * often it failed this week; the deployment retries it by itself.
 */
export function JobOutcomes({ items }: { items: JobItem[] }) {
  const shown = items.filter((i) => i.job in job_titles);
  return (
    <View className='section' id='job-outcomes'>
      <View className='section-title'>自动任务</View>
      {shown.length === 0 && <View className='muted'>还没有运行记录</View>}
      {shown.map((i) => (
        <View key={i.job} className='rc-run row' data-job={i.job} data-outcome={i.outcome}>
          <View>
            <View>{job_titles[i.job]}</View>
            <Text className='muted'>{`${when(i.at)}（北京时间）${i.attempt > 1 ? ` · 第 ${i.attempt} 次尝试` : ''}`}</Text>
          </View>
          {i.outcome === 'ok' ? (
            <Text className='rc-ok'>{i.failures > 0 ? `正常（本周失败 ${i.failures} 次）` : '正常'}</Text>
          ) : (
            <Text className='rc-bad'>{`失败（本周 ${i.failures} 次），会自动重试`}</Text>
          )}
        </View>
      ))}
    </View>
  );
}
