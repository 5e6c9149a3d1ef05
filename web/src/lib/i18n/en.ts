/**
 * English messages. This file is the key source: every other catalogue is typed against it, so
 * a missing or extra key there fails the type check. Placeholders are written as {name}.
 */
export const en = {
  'language.name': 'English',
  'language.switcherLabel': 'Language',

  'app.name': 'Tupa',
  'app.homeLink': 'Tupa – start page',
  'app.skipToContent': 'Skip to the main content',
  'app.noscript': 'Tupa needs JavaScript to make video calls. Please turn JavaScript on and reload the page.',

  'home.pageTitle': 'Tupa – video calls for families',
  'home.title': 'Welcome to Tupa',
  'home.intro': 'Tupa is a simple video call for families and groups: see and hear each other, wherever you are.',
  'home.create': 'Create a room',
  'home.creating': 'Creating the room…',
  'home.createFailed': 'The room could not be created. Please check your internet connection and try again.',
  'home.ready': 'Your room is ready',
  'home.shareHint': 'Send this link to the people you want to meet. Anyone who has the link can join.',
  'home.goToRoom': 'Go to the room',

  'copy.linkLabel': 'Room link',
  'copy.copy': 'Copy link',
  'copy.copied': 'Copied',
  'copy.copiedAnnouncement': 'The link was copied. You can now paste it into a message.',
  'copy.failed': 'Copying did not work. Select the link above and copy it yourself.',

  'prejoin.pageTitle': 'Join the call – Tupa',
  'prejoin.title': 'Ready to join?',
  'prejoin.previewLabel': 'Your camera picture',
  'prejoin.cameraStarting': 'Starting your camera…',
  'prejoin.cameraOff': 'Your camera is off',
  'prejoin.nameLabel': 'Your name',
  'prejoin.nameHint': 'Your first name or a nickname is enough. The others will see it.',
  'prejoin.nameMissing': 'Please write your name first.',
  'prejoin.nameTooLong': 'Please use at most 40 characters.',
  'prejoin.nameInvalid': 'Please use only letters, numbers and ordinary punctuation.',
  'prejoin.join': 'Join',
  'prejoin.joining': 'Joining…',
  'prejoin.checking': 'Getting the room ready…',

  'media.deniedTitle': 'Tupa may not use your camera and microphone',
  'media.deniedHelp':
    'Tap the camera or lock symbol next to the web address, choose “Allow” for the camera and the microphone, and then tap “Try again”.',
  'media.noDeviceTitle': 'No camera or microphone was found',
  'media.noDeviceHelp': 'You can still join. The others cannot see or hear you, but you can see and hear them.',
  'media.noCamera': 'No camera was found. You can join with sound only.',
  'media.noMicrophone': 'No microphone was found. The others cannot hear you, but you can see and hear them.',
  'media.inUse': 'Another app is using your camera or microphone. Close that app and tap “Try again”.',
  'media.insecure':
    'The camera can only be used on a secure address that starts with https://. Please ask your organisation for the right link.',
  'media.unsupported': 'This browser cannot make video calls. Please use an up-to-date Chrome, Firefox, Edge or Safari.',
  'media.failed': 'The camera or microphone could not be started. Tap “Try again”.',
  'media.canStillJoin': 'You can still join the call.',
  'media.retry': 'Try again',
  'media.dismiss': 'Close this message',

  'controls.label': 'Call controls',
  'controls.micOn': 'Microphone on',
  'controls.micOff': 'Microphone off',
  'controls.cameraOn': 'Camera on',
  'controls.cameraOff': 'Camera off',
  'controls.leave': 'Leave',
  'controls.micNowOn': 'Your microphone is on. The others can hear you.',
  'controls.micNowOff': 'Your microphone is off. The others cannot hear you.',
  'controls.cameraNowOn': 'Your camera is on. The others can see you.',
  'controls.cameraNowOff': 'Your camera is off. The others cannot see you.',

  'call.pageTitle': 'In the call – Tupa',
  'call.heading': 'Video call',
  'call.participants': 'Participants',
  'call.you': 'You',
  'call.selfName': '{name} (you)',
  'call.guest': 'Guest',
  'call.cameraOff': 'Camera off',
  'call.micOff': 'Microphone off',
  'call.connecting': 'Connecting…',
  'call.reconnecting': 'The connection was lost. Reconnecting…',
  'call.alone': 'Nobody else is here yet.',
  'call.aloneHint': 'Send this link to the people you are waiting for:',
  'call.peerJoined': '{name} joined the call',
  'call.peerLeft': '{name} left the call',
  'call.audioBlocked': 'Tap here to hear the others',
  'call.joinFailed': 'Joining the call did not work. Please check your internet connection and try again.',
  'call.outdated': 'A new version of Tupa is available. Please reload the page.',
  'call.reload': 'Reload the page',
  'call.replaced': 'You joined this call in another window or on another device, so this window left the call.',
  'call.roomClosed': 'The call has ended.',
  'call.serverShutdown': 'The service is restarting. Please join again in a moment.',

  'left.pageTitle': 'You left the call – Tupa',
  'left.title': 'You left the call',
  'left.body': 'Thank you for visiting. You can come back with the same link whenever you like.',
  'left.joinAgain': 'Join again',
  'left.home': 'Go to the start page',

  'error.pageTitle': 'Tupa',
  'error.notFoundTitle': 'This room was not found',
  'error.notFoundHelp':
    'Please check that the link is complete. The room may also have been closed. Ask the person who sent you the link for a new one.',
  'error.pageNotFoundTitle': 'This page was not found',
  'error.pageNotFoundHelp': 'Please check the address, or start again from the start page.',
  'error.genericTitle': 'Something went wrong',
  'error.genericHelp': 'Please try again in a moment.',
  'error.retry': 'Try again',
  'error.home': 'Go to the start page',
} as const;

/** A message key; English is the source of keys. */
export type MessageKey = keyof typeof en;

/** A complete catalogue: every key, each a string. */
export type Messages = { readonly [K in MessageKey]: string };
