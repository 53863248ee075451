import { Button, Image, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ProductPhoto } from '../../../shared/api/catalog';
import { product_photos_max } from '../../../shared/catalog/photo';
import { call } from '../../services/api';
import { pickProductPhoto, uploadProductPhoto } from '../../services/product-photos';

interface Props {
  productId: string;
  /** The store whose public product page gives the photos, as the shop shows them. */
  storeCode: string;
  /** The first photo after a change, for the list's thumbnail (null when none is left). */
  onCoverChanged: (url: string | null) => void;
}

/**
 * 商品照片: the product's photos, one taken with the camera or chosen from
 * the album (resized on the phone before upload), or one deleted; at most
 * product_photos_max, said when reached.
 */
export function ProductPhotosPanel({ productId, storeCode, onCoverChanged }: Props) {
  const [photos, setPhotos] = useState<ProductPhoto[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    setPhotos(null);
    void call('publicProduct', { params: { code: storeCode, productId } })
      .then((r) => setPhotos(r.product.photos ?? []))
      .catch(() => {
        setPhotos([]);
        setError('照片加载失败');
      });
  }, [productId, storeCode]);

  const add = async () => {
    setError('');
    try {
      const photo = await pickProductPhoto();
      if (!photo) return;
      setBusy(true);
      const list = await uploadProductPhoto(productId, photo);
      setPhotos(list);
      onCoverChanged(list[0]?.url ?? null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (photoId: string) => {
    const r = await call('deleteProductPhoto', { params: { productId, photoId } }).catch(() => null);
    if (!r) return;
    setPhotos(r.photos);
    onCoverChanged(r.photos[0]?.url ?? null);
  };

  return (
    <View className='photo-panel'>
      {!photos && <View className='muted'>加载中…</View>}
      <View className='photo-grid'>
        {photos?.map((ph) => (
          <View key={ph.id} className='photo-cell' data-photo-id={ph.id}>
            <Image className='photo-thumb--large' src={ph.url} mode='aspectFill' />
            <Text className='link photo-delete' onClick={() => void remove(ph.id)}>
              删除
            </Text>
          </View>
        ))}
      </View>
      {error && <View className='field-error photo-error'>{error}</View>}
      {photos && photos.length < product_photos_max && (
        <Button className='photo-add' size='mini' disabled={busy} onClick={() => void add()}>
          {busy ? '上传中…' : '拍照或从相册添加'}
        </Button>
      )}
      {photos?.length === product_photos_max && <View className='muted'>已有 {product_photos_max} 张照片（上限），删除一张才能再加</View>}
    </View>
  );
}
