/** English messages for the staff screens; spread into the main catalogue. */
export const staffEn = {
};
