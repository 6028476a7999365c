// Placeholder replaced below in this commit series.
export async function BrandXApp(_: { brandId: string; brandName: string; canManage: boolean }) {
  return null;
}
