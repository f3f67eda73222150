export { appContext } from '../../../server/app-context.ts';
