/**
 * Tests drive the emulator's authorize and device pages through the scripted browser, which lives
 * outside test-support because `forcebridge demo` uses it too.
 */
export { browserApproveDevice, browserAuthorize, parseForms, type AuthorizeStep } from '../scripted-browser.js';
