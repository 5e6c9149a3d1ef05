/** English messages for the storytime screens; spread into the main catalogue. */
export const storytimeEn = {
};
