// Which camera and microphone this person chose, and their name, remembered on this device
// only (localStorage), so that the next visit starts as the last one ended.

/** What is remembered; any part may be missing. */
export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
}

export const DEVICE_STORAGE_KEY = 'tupa.devices';
export const NAME_STORAGE_KEY = 'tupa.displayName';

/** The part of Storage used here, so tests can hand in a plain map. */
export type ChoiceStorage = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): ChoiceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The remembered devices; nothing when storage is off or holds something unreadable. */
export function loadDeviceChoice(storage: ChoiceStorage | null = browserStorage()): DeviceChoice {
  try {
    const raw = storage?.getItem(DEVICE_STORAGE_KEY);
    if (!raw) return {};
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const choice: DeviceChoice = {};
    if (typeof parsed['cameraId'] === 'string' && parsed['cameraId'].length <= 256) choice.cameraId = parsed['cameraId'];
    if (typeof parsed['microphoneId'] === 'string' && parsed['microphoneId'].length <= 256) {
      choice.microphoneId = parsed['microphoneId'];
    }
    return choice;
  } catch {
    return {};
  }
}

/** Remembers one more choice next to the earlier ones. */
export function saveDeviceChoice(change: DeviceChoice, storage: ChoiceStorage | null = browserStorage()): void {
  try {
    storage?.setItem(DEVICE_STORAGE_KEY, JSON.stringify({ ...loadDeviceChoice(storage), ...change }));
  } catch {
    // Storage full or off: the choice lasts for this visit only.
  }
}

/**
 * The device to ask for: the remembered one while it is still there, otherwise none (the
 * browser's default), so an unplugged camera never stops the call from starting.
 */
export function usableDevice(devices: readonly { deviceId: string }[], rememberedId: string | undefined): string | undefined {
  if (!rememberedId) return undefined;
  return devices.some((device) => device.deviceId === rememberedId) ? rememberedId : undefined;
}

export function loadName(storage: ChoiceStorage | null = browserStorage()): string {
  try {
    return storage?.getItem(NAME_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveName(name: string, storage: ChoiceStorage | null = browserStorage()): void {
  try {
    storage?.setItem(NAME_STORAGE_KEY, name);
  } catch {
    // Not remembered this time; nothing else depends on it.
  }
}
