import { describe, expect, it } from 'vitest';
import { DEVICE_STORAGE_KEY, loadDeviceChoice, loadName, saveDeviceChoice, saveName, usableDevice } from './deviceMemory.ts';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), map };
}

describe('device memory', () => {
  it('remembers the camera, the microphone and the name across loads', () => {
    const storage = memoryStorage();
    expect(loadDeviceChoice(storage)).toEqual({});
    saveDeviceChoice({ cameraId: 'cam-2' }, storage);
    saveDeviceChoice({ microphoneId: 'mic-1' }, storage);
    expect(loadDeviceChoice(storage)).toEqual({ cameraId: 'cam-2', microphoneId: 'mic-1' });
    saveName('Mummo Aino', storage);
    expect(loadName(storage)).toBe('Mummo Aino');
  });

  it('ignores what it cannot read, and works without storage', () => {
    const storage = memoryStorage();
    storage.map.set(DEVICE_STORAGE_KEY, '{not json');
    expect(loadDeviceChoice(storage)).toEqual({});
    storage.map.set(DEVICE_STORAGE_KEY, JSON.stringify({ cameraId: 42, microphoneId: 'mic-1' }));
    expect(loadDeviceChoice(storage)).toEqual({ microphoneId: 'mic-1' });
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadDeviceChoice(broken)).toEqual({});
    expect(() => saveDeviceChoice({ cameraId: 'x' }, broken)).not.toThrow();
    expect(loadName(null)).toBe('');
  });

  it('falls back to the default device when the remembered one is gone', () => {
    const devices = [{ deviceId: 'cam-1' }, { deviceId: 'cam-2' }];
    expect(usableDevice(devices, 'cam-2')).toBe('cam-2');
    expect(usableDevice(devices, 'unplugged')).toBeUndefined();
    expect(usableDevice(devices, undefined)).toBeUndefined();
  });
});
